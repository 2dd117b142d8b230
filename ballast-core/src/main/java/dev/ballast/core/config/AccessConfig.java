package dev.ballast.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what beyond their own runs (docs/security.md): the administrators, who may read and
 * write which collection, and which tenants may submit which pipeline. The one place these rules
 * are decided for the configuration; the gateway adds what a managed key narrows. Immutable.
 *
 * <p>A tenant always reads and acts on its own runs, conversations and idempotency keys; nothing
 * here widens that. An administrator ({@code admins:}) reads every tenant's runs and statistics,
 * reads and writes every collection, manages keys and sees node-wide status.
 *
 * @param admins tenants whose keys are administrator keys ({@code admins:})
 * @param collections each configured collection's owner or readers
 * @param pipelineTenants for each pipeline that lists {@code tenants}, the tenants that may submit
 *     it; a pipeline absent here may be submitted by every tenant
 * @param keyCacheTtl how long a node trusts what it read of a managed key: the bound on how late a
 *     revocation takes effect on a node that did not revoke it ({@code managed_keys.cache_ttl})
 */
public record AccessConfig(
    Set<String> admins,
    Map<String, CollectionAccess> collections,
    Map<String, Set<String>> pipelineTenants,
    Duration keyCacheTtl) {
  public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofSeconds(5);

  /** No administrators, no collections, every pipeline open: what a configuration starts from. */
  public static final AccessConfig NONE =
      new AccessConfig(Set.of(), Map.of(), Map.of(), DEFAULT_KEY_CACHE_TTL);

  public AccessConfig {
    admins = Set.copyOf(admins);
    collections = Map.copyOf(collections);
    pipelineTenants = Map.copyOf(pipelineTenants);
    if (keyCacheTtl == null || keyCacheTtl.isNegative() || keyCacheTtl.isZero()) {
      throw new IllegalArgumentException(
          "keyCacheTtl must be a positive duration, but was " + keyCacheTtl);
    }
  }

  public boolean isAdmin(String tenant) {
    return admins.contains(tenant);
  }

  /**
   * Whether runs and keys of {@code tenant} may search {@code collection}. A collection the
   * configuration does not name is readable by administrators only.
   */
  public boolean canRead(String tenant, String collection) {
    if (isAdmin(tenant)) {
      return true;
    }
    CollectionAccess access = collections.get(collection);
    return access != null && access.readableBy(tenant);
  }

  /** Whether {@code tenant} may add documents to or remove documents from {@code collection}. */
  public boolean canWrite(String tenant, String collection) {
    if (isAdmin(tenant)) {
      return true;
    }
    CollectionAccess access = collections.get(collection);
    return access != null && access.writableBy(tenant);
  }

  /** Whether {@code tenant} may submit runs of {@code pipeline} (administrators: every one). */
  public boolean maySubmit(String tenant, String pipeline) {
    Set<String> tenants = pipelineTenants.get(pipeline);
    return tenants == null || tenants.contains(tenant) || isAdmin(tenant);
  }

  public CollectionAccess collection(String name) {
    return collections.get(name);
  }
}
