package dev.ballast.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link PriorityBulkhead}'s limits.
 *
 * <p>Defaults: 64 concurrent calls, batch callers wait at most 250 ms and are told to retry after 1
 * s. Immutable; the constructor rejects bad values with the value in the message.
 *
 * @param maxConcurrentCalls calls allowed to run at once
 * @param batchMaxWait how long a batch caller waits for a slot before it is shed
 * @param batchRetryAfter the retry-after suggested to a shed batch caller
 */
public record BulkheadConfig(
    int maxConcurrentCalls, Duration batchMaxWait, Duration batchRetryAfter) {

  public BulkheadConfig {
    Objects.requireNonNull(batchMaxWait, "batchMaxWait");
    Objects.requireNonNull(batchRetryAfter, "batchRetryAfter");
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls must be >= 1, but was " + maxConcurrentCalls);
    }
    if (batchMaxWait.isNegative()) {
      throw new IllegalArgumentException("batchMaxWait must be >= 0, but was " + batchMaxWait);
    }
    if (batchRetryAfter.isNegative()) {
      throw new IllegalArgumentException(
          "batchRetryAfter must be >= 0, but was " + batchRetryAfter);
    }
  }

  public static BulkheadConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link BulkheadConfig}; values are validated by {@link #build()}. */
  public static final class Builder {
    private int maxConcurrentCalls = 64;
    private Duration batchMaxWait = Duration.ofMillis(250);
    private Duration batchRetryAfter = Duration.ofSeconds(1);

    private Builder() {}

    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
      return this;
    }

    public Builder batchMaxWait(Duration batchMaxWait) {
      this.batchMaxWait = batchMaxWait;
      return this;
    }

    public Builder batchRetryAfter(Duration batchRetryAfter) {
      this.batchRetryAfter = batchRetryAfter;
      return this;
    }

    public BulkheadConfig build() {
      return new BulkheadConfig(maxConcurrentCalls, batchMaxWait, batchRetryAfter);
    }
  }
}
