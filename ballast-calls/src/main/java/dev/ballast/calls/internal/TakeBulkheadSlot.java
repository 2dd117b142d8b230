package dev.ballast.calls.internal;

import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.resilience.BulkheadFullException;
import dev.ballast.resilience.PriorityBulkhead;
import java.time.Duration;

/**
 * Bulkhead: a place among the deployment's concurrent calls, interactive callers first. A full
 * bulkhead throws {@link BulkheadFullException} and {@link Attempts} skips the deployment. The slot
 * is returned when the attempt ends, whatever ends it.
 *
 * <p>Invariant: queue time is not upstream time. A slot obtained after a wait that left less than
 * {@code resilience.min_attempt_time} of the deadline is given back and the call is shed as {@link
 * BulkheadFullException} (the gateway's overload, 429 {@code gateway_overloaded}): it never reaches
 * the breaker, so it can neither count as the deployment's failure nor be sent upstream with no
 * time to answer.
 */
public final class TakeBulkheadSlot implements AttemptStep {
  // What a caller shed after its wait is told: the slots turn over within about a second.
  private static final Duration SHED_RETRY_AFTER = Duration.ofSeconds(1);

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
      if (!op.call().deadline().fits(resilience.minAttemptTime())) {
        throw new BulkheadFullException(
            attempt.deployment().name(), op.call().priority(), SHED_RETRY_AFTER);
      }
      return rest.proceed(attempt);
    }
  }
}
