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
        "Tenant '"
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
