package dev.ballast.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A window of time cut into equal buckets, over the runs (per model group) or the provider attempts
 * (per deployment) that began in it.
 *
 * @param tenant only this tenant's runs; null for every tenant (an administrator's view)
 * @param since the first bucket's start, inclusive
 * @param until the window's end, exclusive
 * @param step each bucket's length, at least one second
 */
public record StatsQuery(
    String tenant, Instant since, Instant until, Duration step, StatsDimension dimension) {
  /** More buckets than a chart can show only cost work. */
  public static final int MAX_BUCKETS = 2000;

  public StatsQuery {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(dimension, "dimension");
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException(
          "since must be before until, but was " + since + " and " + until);
    }
    if (step.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("step must be at least 1s, but was " + step);
    }
    if (buckets(since, until, step) > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "the window holds more than " + MAX_BUCKETS + " buckets of " + step);
    }
  }

  /** How many buckets the window holds; the last may be partial. */
  public int buckets() {
    return (int) buckets(since, until, step);
  }

  /** The start of bucket {@code index}. */
  public Instant bucketStart(int index) {
    return since.plus(step.multipliedBy(index));
  }

  private static long buckets(Instant since, Instant until, Duration step) {
    long window = Duration.between(since, until).toMillis();
    long stepMillis = step.toMillis();
    return (window + stepMillis - 1) / stepMillis;
  }
}
