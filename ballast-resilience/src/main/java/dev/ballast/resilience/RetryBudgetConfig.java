package dev.ballast.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How many retries a {@link RetryBudget} allows: {@code budgetRatio} of the first attempts recorded
 * in the last {@code window}, plus a reserve of {@code minRetriesPerSecond} for every second of the
 * window so that a quiet system can still retry.
 *
 * <p>Defaults: ratio 0.2, window 10 s in 1 s buckets, 3 retries per second. Immutable; the
 * constructor rejects bad values with the value in the message.
 *
 * @param budgetRatio share of recent first attempts that may be retried, in [0, 1]
 * @param window how far back first attempts and retries are counted
 * @param bucket the granularity at which the window slides; must divide {@code window}
 * @param minRetriesPerSecond retries allowed per second of the window regardless of traffic
 */
public record RetryBudgetConfig(
    double budgetRatio, Duration window, Duration bucket, double minRetriesPerSecond) {

  /** More buckets than this would make every budget check a long scan. */
  static final int MAX_BUCKETS = 600;

  public RetryBudgetConfig {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(bucket, "bucket");
    if (!(budgetRatio >= 0 && budgetRatio <= 1)) {
      throw new IllegalArgumentException(
          "budgetRatio must be between 0 and 1, but was " + budgetRatio);
    }
    if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
      throw new IllegalArgumentException(
          "minRetriesPerSecond must be finite and >= 0, but was " + minRetriesPerSecond);
    }
    if (bucket.toMillis() < 1) {
      throw new IllegalArgumentException("bucket must be at least 1ms, but was " + bucket);
    }
    if (window.compareTo(bucket) < 0 || window.toMillis() % bucket.toMillis() != 0) {
      throw new IllegalArgumentException(
          "window must be a positive multiple of bucket " + bucket + ", but was " + window);
    }
    if (window.toMillis() / bucket.toMillis() > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "window must hold at most " + MAX_BUCKETS + " buckets, but was " + window + "/" + bucket);
    }
  }

  /** The defaults: 20% of the first attempts of the last 10 s, plus 3 retries/s. */
  public static RetryBudgetConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The number of buckets the window is divided into. */
  public int buckets() {
    return (int) (window.toMillis() / bucket.toMillis());
  }

  /** Builds a {@link RetryBudgetConfig}; values are validated by {@link #build()}. */
  public static final class Builder {
    private double budgetRatio = 0.2;
    private Duration window = Duration.ofSeconds(10);
    private Duration bucket = Duration.ofSeconds(1);
    private double minRetriesPerSecond = 3;

    private Builder() {}

    public Builder budgetRatio(double budgetRatio) {
      this.budgetRatio = budgetRatio;
      return this;
    }

    public Builder window(Duration window, Duration bucket) {
      this.window = window;
      this.bucket = bucket;
      return this;
    }

    public Builder minRetriesPerSecond(double minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    public RetryBudgetConfig build() {
      return new RetryBudgetConfig(budgetRatio, window, bucket, minRetriesPerSecond);
    }
  }
}
