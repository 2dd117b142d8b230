package dev.ballast.calls;

import java.time.Duration;

/** A tenant's per-minute limit would be exceeded by the call. */
public final class TenantLimitExceededException extends CallRefusedException {

  /** The limit, named as in {@code tenants.NAME.limits}. */
  public enum Limit {
    REQUESTS_PER_MINUTE,
    TOKENS_PER_MINUTE;

    /** The configuration key, e.g. {@code requests_per_minute}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String tenant;
  private final Limit limit;

  public TenantLimitExceededException(String tenant, Limit limit, int value, Duration retryAfter) {
    super(
        tenant.startsWith(dev.ballast.core.config.TenantConfig.KEY_ACCOUNT_PREFIX)
            ? "Key '"
                + tenant.substring(dev.ballast.core.config.TenantConfig.KEY_ACCOUNT_PREFIX.length())
                + "' exceeded its own limit of "
                + value
                + " "
                + limit.key().replace('_', ' ')
                + " (limits."
                + limit.key()
                + ", set when the key was created)."
            : "Tenant '"
                + tenant
                + "' exceeded "
                + value
                + " "
                + limit.key().replace('_', ' ')
                + " (tenants."
                + tenant
                + ".limits."
                + limit.key()
                + ").",
        retryAfter);
    this.tenant = tenant;
    this.limit = limit;
  }

  public String tenant() {
    return tenant;
  }

  public Limit limit() {
    return limit;
  }
}
