package dev.ballast.calls.internal;

import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.resilience.DeploymentHealth;
import java.time.Duration;

/**
 * Breaker: a permit from the deployment's circuit breaker (refused while it is open or the
 * deployment cools down after a 429: {@link Attempts} skips it), completed with the attempt's
 * outcome as {@link dev.ballast.core.FailureClassification} says. The attempt begins here: it is
 * numbered, timed and journaled from this point on.
 *
 * <p>Invariant: the permit is completed exactly once whatever ends the attempt. A success or a
 * provider failure counts; anything else (a bug, an {@link Error}, a client gone) returns the
 * permit uncounted in {@code finally}, so a breaker never loses a half-open probe's place. So does
 * a first-token timeout that was the learned one rather than the configured one. Transitions the
 * attempt causes are journaled in its run.
 */
public final class TakeBreakerPermit implements AttemptStep {
  private final Resilience resilience;

  public TakeBreakerPermit(Resilience resilience) {
    this.resilience = resilience;
  }

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    DeploymentHealth health = resilience.health(attempt.deployment().name());
    var run = attempt.exchange().operation().call().run();
    DeploymentHealth.Permit permit =
        health.acquire(
            t ->
                run.record(
                    new BreakerTransition(t.deployment(), t.from().wireName(), t.to().wireName())));
    try {
      attempt.begin(health.state().wireName());
      CallAnswer<R> answer = rest.proceed(attempt);
      permit.onSuccess(Duration.ofNanos(System.nanoTime() - attempt.startNanos()));
      return answer;
    } catch (ProviderException e) {
      if (e.errorClass() == ErrorClass.SLOW_FIRST_TOKEN && attempt.adaptedFirstToken() != null) {
        // Cut short by its learned timeout, not by its configured one: the deployment kept its
        // contract, the chain merely preferred a fallback. Returned uncounted (finally, below).
        throw e;
      }
      permit.onFailure(
          e.errorClass(),
          Duration.ofNanos(System.nanoTime() - attempt.startNanos()),
          e.retryAfter());
      throw e;
    } finally {
      // A no-op once the permit was completed above.
      permit.release();
    }
  }
}
