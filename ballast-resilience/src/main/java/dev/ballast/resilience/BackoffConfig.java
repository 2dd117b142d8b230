package dev.ballast.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with full jitter.
 *
 * <p>Defaults: base 100 ms, cap 5 s, minimum attempt time 1 s. Immutable; the constructor rejects
 * bad values with the value in the message.
 *
 * @param base the upper bound of the first retry's delay
 * @param cap the largest upper bound any delay may have
 * @param minAttemptTime the least time an attempt needs to have a chance of succeeding; no retry is
 *     scheduled unless its delay plus this still fits the deadline
 */
public record BackoffConfig(Duration base, Duration cap, Duration minAttemptTime) {

  public BackoffConfig {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(minAttemptTime, "minAttemptTime");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be > 0, but was " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap must be >= base " + base + ", but was " + cap);
    }
    if (minAttemptTime.isNegative()) {
      throw new IllegalArgumentException("minAttemptTime must be >= 0, but was " + minAttemptTime);
    }
  }

  public static BackoffConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link BackoffConfig}; values are validated by {@link #build()}. */
  public static final class Builder {
    private Duration base = Duration.ofMillis(100);
    private Duration cap = Duration.ofSeconds(5);
    private Duration minAttemptTime = Duration.ofSeconds(1);

    private Builder() {}

    public Builder base(Duration base) {
      this.base = base;
      return this;
    }

    public Builder cap(Duration cap) {
      this.cap = cap;
      return this;
    }

    public Builder minAttemptTime(Duration minAttemptTime) {
      this.minAttemptTime = minAttemptTime;
      return this;
    }

    public BackoffConfig build() {
      return new BackoffConfig(base, cap, minAttemptTime);
    }
  }
}
