package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.AccessConfig;
import dev.ballast.core.config.CollectionAccess;
import dev.ballast.gateway.internal.wire.ApiError;

/**
 * What a caller may do beyond its own tenant's runs: the one place the HTTP edge decides it, for
 * runs, statistics, status, collections, pipelines and keys (the table is in docs/security.md, and
 * {@code TenancyTest} plays a hostile tenant against every endpoint to keep it true).
 *
 * <p>An administrator key reads every tenant's runs and statistics, reads and writes every
 * collection, manages keys, resumes any run and sees node-wide status. A tenant key reads and acts
 * on its own tenant only; it writes the collections its tenant owns and reads those and the shared
 * collections it is granted. Reading across tenants never extends to acting for them: replays and
 * submissions run as the caller's own tenant, whose limits and budget they spend.
 *
 * <p>What a caller may not see is answered as if it did not exist (404), so that names and ids
 * cannot be probed; what it may see but not do is a 403 with a code saying why.
 */
final class Roles {
  private Roles() {}

  /** Whether {@code caller} may read a run of {@code runTenant}. */
  static boolean canRead(Caller caller, String runTenant) {
    return caller.admin() || caller.name().equals(runTenant);
  }

  /**
   * The tenant a listing or aggregate is restricted to: the caller's own, or for an administrator
   * the one asked for ({@code null}: every tenant).
   *
   * @throws ApiError 403 when a tenant key asks for another tenant
   */
  static String scope(Caller caller, String requested) {
    if (caller.admin()) {
      return requested == null || requested.isBlank() ? null : requested;
    }
    if (requested != null && !requested.isBlank() && !requested.equals(caller.name())) {
      throw new ApiError(
          403,
          "permission_error",
          "tenant_not_allowed",
          "tenant",
          "This key reads only its own tenant's runs; 'tenant' may only name '"
              + caller.name()
              + "'.");
    }
    return caller.name();
  }

  /**
   * @throws ApiError 403 {@code admin_required} unless {@code caller} holds an administrator key
   */
  static void requireAdmin(Caller caller, String what) {
    if (!caller.admin()) {
      throw new ApiError(
          403,
          "permission_error",
          "admin_required",
          null,
          what
              + " needs an administrator's key (a key of a tenant listed in admins:); this key is"
              + " tenant "
              + caller.name()
              + "'s.");
    }
  }

  /** Whether {@code caller} may search {@code collection} and see that it exists. */
  static boolean canReadCollection(Caller caller, AccessConfig access, String collection) {
    if (caller.admin()) {
      return true;
    }
    CollectionAccess rule = access.collection(collection);
    return rule != null && rule.readableBy(caller.name());
  }

  /**
   * Checks that {@code caller} may add documents to or remove documents from a collection it can
   * read ({@link #canReadCollection}): one its tenant owns, or any for an administrator. What is
   * left is a shared collection, which only administrators write.
   *
   * @throws ApiError 403 {@code collection_read_only} otherwise
   */
  static void requireCollectionWrite(Caller caller, AccessConfig access, String collection) {
    CollectionAccess rule = access.collection(collection);
    if (caller.admin() || (rule != null && rule.writableBy(caller.name()))) {
      return;
    }
    throw new ApiError(
        403,
        "permission_error",
        "collection_read_only",
        null,
        "Collection '"
            + collection
            + "' is shared: this key may search it, but only an administrator's key may add or"
            + " remove its documents.");
  }
}
