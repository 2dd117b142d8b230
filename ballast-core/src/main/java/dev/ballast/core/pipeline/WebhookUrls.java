package dev.ballast.core.pipeline;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How a webhook's URL is shown wherever it is recorded (run errors, the journal, spans, replay
 * reports): its scheme, host and port only. A path or query often carries a token ({@code
 * /hooks/T000/B000/XXXX}, {@code ?key=...}), and so does user information; they are replaced by
 * {@code …}.
 */
public final class WebhookUrls {
  private WebhookUrls() {}

  /** {@code https://hooks.example.com/…} for {@code https://hooks.example.com/T0/secret?k=v}. */
  public static String redacted(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "(a webhook URL)";
      }
      StringBuilder shown = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
      if (uri.getPort() >= 0) {
        shown.append(':').append(uri.getPort());
      }
      boolean more =
          (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
              || uri.getRawQuery() != null
              || uri.getRawFragment() != null;
      return more ? shown.append("/…").toString() : shown.toString();
    } catch (URISyntaxException e) {
      return "(a webhook URL that is not valid)";
    }
  }
}
