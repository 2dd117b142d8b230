package dev.ballast.core.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code tenants.NAME}: who may call the gateway and what is kept of their calls.
 *
 * @param keyHashes SHA-256 hex digests of the tenant's virtual keys; the keys themselves are never
 *     stored
 * @param capture whether request and response content is journaled (replay needs it)
 * @param redact patterns replaced by {@code [REDACTED]} in content before anything is persisted
 * @param priority {@code interactive} (the default) or {@code batch}: who waits when deployments
 *     are saturated; a request may override it with the {@code x-ballast-priority} header
 * @param limits requests and tokens per minute and the spend budget
 */
public record TenantConfig(
    String name,
    List<String> keyHashes,
    boolean capture,
    List<Pattern> redact,
    String priority,
    TenantLimits limits) {
  public TenantConfig {
    keyHashes = List.copyOf(keyHashes);
    redact = List.copyOf(redact);
  }
}
