package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Resilience;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.FailureClassification.Disposition;
import dev.ballast.core.FailureClassification.Failover;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.journal.Decision;
import dev.ballast.resilience.BreakerState;
import dev.ballast.resilience.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decide: after a failed attempt, fail over along the route, retry the same deployment, move to the
 * larger-context group, or give up. The failure's disposition comes from {@link
 * FailureClassification}; this class adds the route, the retry budgets, the backoff and the
 * deadline.
 *
 * <p>Invariants: every extra attempt was granted by the retry budget (a retry by the deployment's
 * and the global one, a failover by the global one); a retriable failure fails over while another
 * deployment on the route is available, and is retried on the same deployment only when none is (a
 * 429 with a Retry-After short enough to wait for excepted); a retry is only chosen when its
 * backoff fits the deadline and the deployment's breaker is closed; nothing is retried once part of
 * the answer reached the client.
 */
public final class AttemptDecisions {
  private final Resilience resilience;

  public AttemptDecisions(Resilience resilience) {
    this.resilience = resilience;
  }

  /**
   * @param index the failed attempt's position in {@code route}
   * @param sameRetries retries already made on that deployment
   * @param delivered whether part of the answer reached the client
   */
  public NextStep decide(
      ProviderException e,
      List<Deployment> route,
      int index,
      int sameRetries,
      boolean largerContextTried,
      GroupConfig group,
      Deadline deadline,
      boolean delivered) {
    if (delivered) {
      return NextStep.giveUp(Decision.GAVE_UP_AFTER_FIRST_TOKEN);
    }
    Disposition disposition = FailureClassification.of(e.errorClass());
    if (disposition.failover() == Failover.LARGER_CONTEXT_ONLY) {
      if (group.largerContext() != null && !largerContextTried) {
        return new NextStep(
            NextStep.Kind.LARGER_CONTEXT, 0, null, Decision.LARGER_CONTEXT, group.largerContext());
      }
      return NextStep.giveUp(Decision.GAVE_UP);
    }
    Deployment failed = route.get(index);
    boolean mayRetry =
        disposition.retrySameDeployment()
            && sameRetries < resilience.maxRetriesPerDeployment()
            && closed(failed);
    if (e.errorClass() == ErrorClass.RATE_LIMITED) {
      // Retry-After policy: a short wait on the same deployment (same model, its prompt cache) is
      // better than a fallback; a long one, or none that fits the deadline, fails over. The wait
      // is the provider's Retry-After (or the cooldown the breaker applies without one), never
      // shorter: an earlier retry would meet the cooldown or earn another 429.
      Duration wait = e.retryAfter().orElse(resilience.cooldown());
      if (mayRetry && wait.compareTo(resilience.maxRetryAfterWait()) <= 0) {
        NextStep retry = retry(sameRetries, Optional.of(wait), failed, index, deadline);
        if (retry != null) {
          return retry;
        }
      }
      NextStep failover = failover(disposition, route, index);
      return failover != null ? failover : NextStep.giveUp(Decision.GAVE_UP_NO_BUDGET_OR_ROUTE);
    }
    // Failover before retry: while another deployment on the route is healthy, a retry would
    // only add load to the failing one (a brownout's retries used the whole budget and left the
    // healthy backup untried). The same deployment is retried only when it is the last option.
    NextStep failover = failover(disposition, route, index);
    if (failover != null) {
      return failover;
    }
    if (mayRetry) {
      NextStep retry = retry(sameRetries, e.retryAfter(), failed, index, deadline);
      if (retry != null) {
        return retry;
      }
    }
    return NextStep.giveUp(
        disposition.failover() == Failover.NONE || disposition.terminal()
            ? Decision.GAVE_UP
            : Decision.GAVE_UP_NO_BUDGET_OR_ROUTE);
  }

  /** A retry of {@code failed} after its backoff, if the backoff fits the deadline and budget. */
  private NextStep retry(
      int sameRetries,
      Optional<Duration> retryAfter,
      Deployment failed,
      int index,
      Deadline deadline) {
    Optional<Duration> delay = resilience.backoff().delayFor(sameRetries, retryAfter, deadline);
    if (delay.isPresent() && resilience.budgets().tryAcquire(failed.name())) {
      return new NextStep(NextStep.Kind.RETRY, index, delay.get(), Decision.RETRY, null);
    }
    return null;
  }

  /**
   * Only a deployment whose breaker is closed is retried: after a failed half-open probe (the
   * breaker open again, or still half-open waiting for its other probes) a retry would either be
   * refused or spend another probe on a deployment that has just failed one, so the call fails over
   * instead.
   */
  private boolean closed(Deployment deployment) {
    return resilience.health(deployment.name()).state() == BreakerState.CLOSED;
  }

  /**
   * The next deployment that can take the request now, if the global budget allows an extra
   * attempt. A failover adds no load to the failing deployment, and a fallback sees few first
   * attempts of its own, so its per-deployment budget (which guards against retry storms on it)
   * would starve failover exactly when it is needed; the global budget still bounds the total.
   */
  private NextStep failover(Disposition disposition, List<Deployment> route, int index) {
    if (disposition.failover() != Failover.ANY) {
      return null;
    }
    for (int j = index + 1; j < route.size(); j++) {
      Deployment candidate = route.get(j);
      if (resilience.health(candidate.name()).available()
          && resilience.budgets().global().tryAcquireRetry()) {
        return new NextStep(NextStep.Kind.FAILOVER, j, null, Decision.FAILOVER, candidate.name());
      }
    }
    return null;
  }
}
