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

  /**
   * Names of the accounts that managed keys' own limits are counted under ({@code key/ID}): a
   * tenant name cannot contain {@code /}, so they never meet a tenant's.
   */
  public static final String KEY_ACCOUNT_PREFIX = "key/";

  public TenantConfig {
    keyHashes = List.copyOf(keyHashes);
    redact = List.copyOf(redact);
  }

  /**
   * The account a managed key's own limits are counted under, as the tenant-shaped thing admission
   * counts: name {@code key/ID}, the key's limits, nothing else.
   */
  public static TenantConfig keyAccount(String keyId, TenantLimits limits) {
    return new TenantConfig(
        KEY_ACCOUNT_PREFIX + keyId, List.of(), false, List.of(), "interactive", limits);
  }

  /** The managed key's id when this is a {@link #keyAccount}, else empty. */
  public java.util.Optional<String> keyId() {
    return name.startsWith(KEY_ACCOUNT_PREFIX)
        ? java.util.Optional.of(name.substring(KEY_ACCOUNT_PREFIX.length()))
        : java.util.Optional.empty();
  }
}
