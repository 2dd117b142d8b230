package dev.ballast.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The circuit breaker and 429 cooldown of one deployment.
 *
 * <p>Defaults: a count-based window of the last 20 calls, at least 10 calls before the rates are
 * judged, open at 50% failures or 80% calls slower than 30 s, wait 30 s in open state, 3 half-open
 * probes, a 5 s cooldown after a 429 without Retry-After and at most 5 minutes with one. Immutable;
 * the constructor rejects bad values with the value in the message.
 *
 * @param windowType whether the window counts the last {@code windowSize} calls or seconds
 * @param windowSize calls or seconds in the sliding window
 * @param minimumCalls calls needed in the window before the failure rate can open the breaker
 * @param failureRateThreshold percentage of failed calls, in (0, 100], that opens the breaker
 * @param slowCallRateThreshold percentage of slow calls, in (0, 100], that opens the breaker
 * @param slowCallDuration calls that take longer than this are slow
 * @param waitInOpenState how long the breaker stays open before it lets probes through
 * @param halfOpenProbes calls let through in half-open state to decide whether to close
 * @param defaultCooldown how long a 429 without Retry-After takes the deployment out of routing
 * @param maxCooldown the longest cooldown a provider's Retry-After can impose
 */
public record BreakerConfig(
    WindowType windowType,
    int windowSize,
    int minimumCalls,
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallDuration,
    Duration waitInOpenState,
    int halfOpenProbes,
    Duration defaultCooldown,
    Duration maxCooldown) {

  /** How the sliding window is measured. */
  public enum WindowType {
    COUNT_BASED,
    TIME_BASED
  }

  public BreakerConfig {
    Objects.requireNonNull(windowType, "windowType");
    positive("windowSize", windowSize);
    positive("minimumCalls", minimumCalls);
    positive("halfOpenProbes", halfOpenProbes);
    percentage("failureRateThreshold", failureRateThreshold);
    percentage("slowCallRateThreshold", slowCallRateThreshold);
    positive("slowCallDuration", slowCallDuration);
    positive("waitInOpenState", waitInOpenState);
    positive("defaultCooldown", defaultCooldown);
    positive("maxCooldown", maxCooldown);
    if (maxCooldown.compareTo(defaultCooldown) < 0) {
      throw new IllegalArgumentException(
          "maxCooldown must be >= defaultCooldown " + defaultCooldown + ", but was " + maxCooldown);
    }
  }

  public static BreakerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  private static void percentage(String name, float value) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(name + " must be between 0 and 100, but was " + value);
    }
  }

  /** Builds a {@link BreakerConfig}; values are validated by {@link #build()}. */
  public static final class Builder {
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = 20;
    private int minimumCalls = 10;
    private float failureRateThreshold = 50;
    private float slowCallRateThreshold = 80;
    private Duration slowCallDuration = Duration.ofSeconds(30);
    private Duration waitInOpenState = Duration.ofSeconds(30);
    private int halfOpenProbes = 3;
    private Duration defaultCooldown = Duration.ofSeconds(5);
    private Duration maxCooldown = Duration.ofMinutes(5);

    private Builder() {}

    public Builder window(WindowType type, int size, int minimumCalls) {
      this.windowType = type;
      this.windowSize = size;
      this.minimumCalls = minimumCalls;
      return this;
    }

    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    public Builder slowCalls(float ratePercent, Duration slowerThan) {
      this.slowCallRateThreshold = ratePercent;
      this.slowCallDuration = slowerThan;
      return this;
    }

    public Builder waitInOpenState(Duration wait) {
      this.waitInOpenState = wait;
      return this;
    }

    public Builder halfOpenProbes(int probes) {
      this.halfOpenProbes = probes;
      return this;
    }

    public Builder cooldown(Duration defaultCooldown, Duration maxCooldown) {
      this.defaultCooldown = defaultCooldown;
      this.maxCooldown = maxCooldown;
      return this;
    }

    public BreakerConfig build() {
      return new BreakerConfig(
          windowType,
          windowSize,
          minimumCalls,
          failureRateThreshold,
          slowCallRateThreshold,
          slowCallDuration,
          waitInOpenState,
          halfOpenProbes,
          defaultCooldown,
          maxCooldown);
    }
  }
}
