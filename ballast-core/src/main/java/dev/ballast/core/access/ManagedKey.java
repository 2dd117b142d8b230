package dev.ballast.core.access;

import dev.ballast.core.config.TenantLimits;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A virtual key made through the API or CLI ({@code POST /v1/ballast/keys}) and kept in the store
 * next to the configuration's keys. Only its hash is stored, made like a configuration key's
 * ({@code sha256:} of the key); the key itself is shown once, when it is created.
 *
 * @param id names the key in lists and revocations ({@code key_...}); not a secret
 * @param keyHash {@code sha256:<hex>} of the key
 * @param hint the key's first characters, so that a person can tell keys apart; never enough to use
 *     it
 * @param tenant the configured tenant the key calls as
 * @param name an optional label
 * @param admin whether the key is an administrator key; only a key of a tenant listed in {@code
 *     admins:} can be one
 * @param models the model groups the key may call; null for every group
 * @param pipelines the pipelines the key may submit; null for every pipeline its tenant may
 * @param limits the key's own requests and tokens per minute and budget (zero: none of its own),
 *     enforced by admission on top of its tenant's
 * @param createdBy the tenant of the administrator key that made it
 * @param expiresAt when it stops working; null for never
 * @param revokedAt when it was revoked; null while it is live
 */
public record ManagedKey(
    String id,
    String keyHash,
    String hint,
    String tenant,
    String name,
    boolean admin,
    List<String> models,
    List<String> pipelines,
    TenantLimits limits,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt) {

  public ManagedKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(createdAt, "createdAt");
    models = models == null ? null : List.copyOf(models);
    pipelines = pipelines == null ? null : List.copyOf(pipelines);
    limits = limits == null ? TenantLimits.UNLIMITED : limits;
  }

  /** Whether the key authenticates at {@code now}: neither revoked nor expired. */
  public boolean usableAt(Instant now) {
    return revokedAt == null && !expiredAt(now);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public boolean mayCall(String group) {
    return models == null || models.contains(group);
  }

  public boolean maySubmit(String pipeline) {
    return pipelines == null || pipelines.contains(pipeline);
  }

  public ManagedKey revoked(Instant at) {
    return new ManagedKey(
        id, keyHash, hint, tenant, name, admin, models, pipelines, limits, createdBy, createdAt,
        expiresAt, at);
  }
}
