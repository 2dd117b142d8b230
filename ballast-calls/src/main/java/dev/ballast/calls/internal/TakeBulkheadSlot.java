package dev.ballast.calls.internal;

import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.resilience.PriorityBulkhead;

/**
 * Bulkhead: a place among the deployment's concurrent calls, interactive callers first. A full
 * bulkhead throws {@link dev.ballast.resilience.BulkheadFullException} and {@link Attempts} skips
 * the deployment. The slot is returned when the attempt ends, whatever ends it.
 */
public final class TakeBulkheadSlot implements AttemptStep {
  private final Resilience resilience;

  public TakeBulkheadSlot(Resilience resilience) {
    this.resilience = resilience;
  }

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    Operation<R> op = attempt.exchange().operation();
    PriorityBulkhead bulkhead = resilience.bulkhead(attempt.deployment().name());
    PriorityBulkhead.Slot slot;
    try {
      slot = bulkhead.acquire(op.call().priority(), op.call().deadline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ErrorClass.DEADLINE_EXCEEDED, "interrupted while waiting for a slot", e);
    }
    try (slot) {
      return rest.proceed(attempt);
    }
  }
}
