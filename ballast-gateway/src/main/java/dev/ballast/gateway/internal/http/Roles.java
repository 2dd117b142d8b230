package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.gateway.internal.wire.ApiError;

/**
 * Who may read what across tenants: the one place that decides it, for the run list, run reads,
 * diffs and statistics (and the console, which asks {@code GET /v1/ballast/whoami}).
 *
 * <p>Until tenancy has administrator keys of its own (issue #15), the administrator is the built-in
 * configuration's development tenant, {@value #ADMIN_TENANT}: its key reads every tenant's runs and
 * statistics. Every other key reads its own tenant only. Reading across tenants never extends to
 * acting for them: replays, resumes and submissions stay within the caller's tenant, whose limits
 * and budget they spend.
 */
final class Roles {
  static final String ADMIN_TENANT = "dev";

  private Roles() {}

  static boolean isAdmin(TenantConfig caller) {
    return ADMIN_TENANT.equals(caller.name());
  }

  /** Whether {@code caller} may read a run of {@code runTenant}. */
  static boolean canRead(TenantConfig caller, String runTenant) {
    return caller.name().equals(runTenant) || isAdmin(caller);
  }

  /**
   * The tenant a listing or aggregate is restricted to: the caller's own, or for an administrator
   * the one asked for ({@code null}: every tenant).
   *
   * @throws ApiError 403 when a tenant key asks for another tenant
   */
  static String scope(TenantConfig caller, String requested) {
    if (isAdmin(caller)) {
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
}
