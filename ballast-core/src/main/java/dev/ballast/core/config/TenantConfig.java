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

  /**
   * What a tenant name may be: it is part of memory keys ({@code TENANT/CONVERSATION}), metric
   * labels and URLs, so no {@code /}, no spaces and no control characters.
   */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * The tenant a node's own work runs as (seeding collections, embedding a retrieval's query): no
   * configured tenant may take its name, in any case.
   */
  public static final String SYSTEM = "ballast";

  /** Whether {@code name} is reserved for Ballast itself. */
  public static boolean reserved(String name) {
    return SYSTEM.equalsIgnoreCase(name);
  }

  public TenantConfig {
    keyHashes = List.copyOf(keyHashes);
    redact = List.copyOf(redact);
  }
}
