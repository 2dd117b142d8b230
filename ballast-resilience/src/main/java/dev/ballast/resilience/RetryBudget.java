package dev.ballast.resilience;

import dev.ballast.resilience.internal.WindowedRetryBudget;
import java.time.InstantSource;

/**
 * Caps retries (and the extra attempts failover causes) at a share of recent first attempts, so
 * that an outage can never multiply the load on a provider. See {@link RetryBudgetConfig} for the
 * allowance.
 *
 * <p>Thread-safe and cheap: {@link #recordRequest()} is a striped add, and {@link
 * #tryAcquireRetry()} never grants more than the allowance, however many threads race for it (while
 * the clock stays within one bucket; at a bucket boundary a stalled thread may be off by one).
 */
public interface RetryBudget {

  /** A budget over {@code clock}; one per deployment plus one global, see {@link RetryBudgets}. */
  static RetryBudget create(RetryBudgetConfig config, InstantSource clock) {
    return new WindowedRetryBudget(config, clock);
  }

  /** Records the first attempt of a client request; every first attempt earns retry budget. */
  void recordRequest();

  /** Consumes one retry if the budget allows it; returns whether it did. */
  boolean tryAcquireRetry();

  /**
   * Gives back a retry that {@link #tryAcquireRetry()} granted but that was never attempted (for
   * example because the global budget said no, or the deadline ran out first).
   */
  void releaseRetry();

  /** Retries still allowed right now (for metrics); never negative. */
  double remaining();
}
