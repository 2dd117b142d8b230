package dev.ballast.gateway.internal.http;

import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.config.TenantLimits;
import java.util.Optional;

/**
 * Who sent a request, as {@link Authentication} found it: the tenant its key calls as, whether the
 * key is an administrator's, and for a managed key what it narrows (model groups, pipelines, its
 * own limits). Every handler decides from this alone; {@link Roles} holds the rules.
 *
 * @param admin whether the key is an administrator key: a configuration key of a tenant listed in
 *     {@code admins:}, or a managed key made as one for such a tenant
 * @param key the managed key, or null for a key of the configuration
 */
public record Caller(TenantConfig tenant, boolean admin, ManagedKey key) {

  public String name() {
    return tenant.name();
  }

  public String role() {
    return admin ? "admin" : "tenant";
  }

  /**
   * The key's own limits (requests and tokens per minute, budget) on top of its tenant's; empty for
   * a configuration key or a managed key without limits of its own. Admission enforces them.
   */
  public Optional<TenantLimits> keyLimits() {
    return key == null || key.limits().unlimited() ? Optional.empty() : Optional.of(key.limits());
  }

  /** Whether the key may call model group {@code group}. */
  public boolean mayCall(String group) {
    return key == null || key.mayCall(group);
  }

  /** Whether the key's own allow-list lets it submit {@code pipeline}. */
  public boolean keyMaySubmit(String pipeline) {
    return key == null || key.maySubmit(pipeline);
  }
}
