package dev.ballast.core.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a stage is attempted and how long a run waits between attempts. The wait after attempt
 * {@code n} is {@code initialBackoff * multiplier^(n-1)}, capped at {@code maxBackoff}; the engine
 * adds jitter. A run whose stage failed {@code maxAttempts} times goes to {@code dead}.
 *
 * @param maxAttempts at least 1; 1 means no retry
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max, but was "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1, but was " + multiplier);
    }
  }

  /** The base wait after the failed attempt {@code attempt} (1-based), before jitter. */
  public Duration backoff(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    long capped = (long) Math.min(millis, (double) maxBackoff.toMillis());
    return Duration.ofMillis(capped);
  }
}
