package dev.ballast.providers.internal;

import dev.ballast.core.spi.Timeouts;
import java.net.URI;
import java.util.Map;

/** Sends one provider's JSON POSTs under an attempt's deadlines. Thread-safe. */
interface Transport extends AutoCloseable {
  /**
   * Sends the request and waits for the response headers within the first-token and total
   * deadlines. The caller must close the returned exchange.
   *
   * @throws dev.ballast.core.ProviderException when no response headers arrived, classified
   */
  Exchange post(
      URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, boolean stream);

  /**
   * The system property that picks the plain-http client: {@code http1} (the default, {@link
   * Http1Transport}) or {@code webclient} ({@link WebClientTransport}). Read when a provider is
   * created; an internal switch for measurements (see docs/http-client.md), not a configuration
   * key.
   */
  String PLAIN_HTTP_CLIENT = "ballast.plain-http-client";

  /** The transport for {@code baseUrl}: HTTP/1.1 on the caller's thread for http, else HTTP/2. */
  static Transport forBaseUrl(URI baseUrl) {
    if (!"http".equals(baseUrl.getScheme())) {
      return new HttpTransport(baseUrl);
    }
    String client = System.getProperty(PLAIN_HTTP_CLIENT, "http1");
    return switch (client) {
      case "http1" -> new Http1Transport(baseUrl);
      case "webclient" -> new WebClientTransport();
      default ->
          throw new IllegalArgumentException(
              PLAIN_HTTP_CLIENT + " must be http1 or webclient, but was \"" + client + '"');
    };
  }

  @Override
  void close();
}
