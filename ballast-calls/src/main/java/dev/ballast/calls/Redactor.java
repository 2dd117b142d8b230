package dev.ballast.calls;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.Payload;
import java.util.regex.Pattern;

/**
 * Applies a tenant's capture policy to content before it is persisted: nothing when capture is off,
 * redacted text otherwise. Content that never reaches this class never reaches the journal.
 */
public final class Redactor {
  private static final String MASK = "[REDACTED]";

  private Redactor() {}

  public static Payload payload(TenantConfig tenant, String content) {
    String text = text(tenant, content);
    return text == null ? null : Payload.of(text);
  }

  /** The content as the tenant's policy lets it be kept: null without capture, else redacted. */
  public static String text(TenantConfig tenant, String content) {
    if (content == null || !tenant.capture()) {
      return null;
    }
    String text = content;
    for (Pattern pattern : tenant.redact()) {
      text = pattern.matcher(text).replaceAll(MASK);
    }
    return text;
  }
}
