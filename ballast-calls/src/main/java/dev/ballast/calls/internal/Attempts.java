package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.NoDeploymentAvailableException;
import dev.ballast.calls.NoDeploymentAvailableException.Reason;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.Router;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.resilience.BulkheadFullException;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentUnavailableException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Attempts: the deployments of the route in order, each attempt through the attempt steps (bulkhead
 * → breaker → check output → validate → check identity → call), and after a failed one the {@link
 * AttemptDecisions decision}: retry after a backoff, fail over, move to the larger-context group,
 * or give up; after part of a stream reached the client, the {@link Continuations continuation} on
 * the same or the next deployment, or give up. The last step of the chain.
 *
 * <p>Invariants: every attempt that began is journaled exactly once, with the decision taken after
 * it, before the next begins; no attempt begins once the deadline cannot fit one; a deployment
 * whose bulkhead is full or whose breaker refuses is skipped without an attempt; the first attempt
 * is counted once in the retry budget's window.
 */
public final class Attempts implements CallStep {
  private final Router router;
  private final Resilience resilience;
  private final List<AttemptStep> steps;
  private final AttemptDecisions decisions;
  private final Continuations continuations;

  public Attempts(Router router, Resilience resilience, List<AttemptStep> steps) {
    this.router = router;
    this.resilience = resilience;
    this.steps = List.copyOf(steps);
    this.decisions = new AttemptDecisions(resilience);
    this.continuations = new Continuations(resilience);
  }

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    Operation<R> op = call.operation();
    Deadline deadline = op.call().deadline();
    GroupConfig group = call.group();
    List<Deployment> route = call.route();
    boolean largerContextTried = false;
    ProviderException last = null;
    RuntimeException skipped = null;
    int number = 0;
    int index = 0;
    int sameRetries = 0;
    boolean counted = false;
    while (index < route.size()) {
      Deployment d = route.get(index);
      // The shortest attempt worth starting (resilience.min_attempt_time): below it the deadline,
      // not the provider, would decide. When only bulkhead waits used the time up, no provider
      // was asked: the call was shed by the gateway's own overload, not timed out upstream.
      if (!deadline.fits(resilience.minAttemptTime())) {
        if (last == null && skipped instanceof BulkheadFullException) {
          throw unavailable(group, skipped);
        }
        throw deadlineExceeded(deadline, last);
      }
      if (!counted) {
        resilience.budgets().recordRequest(d.name());
        counted = true;
      }
      ContinuationMode form = resilience.continuation(d.name());
      if (call.delivered() && form == ContinuationMode.NONE) {
        // Only a continuation follows an attempt whose text reached the client, and this
        // deployment (reached after the chosen one was skipped) continues nothing.
        index++;
        continue;
      }
      AttemptExchange<R> attempt =
          new AttemptExchange<>(call, d, number + 1, fallbackAfter(route, index));
      if (call.delivered()) {
        attempt.continueFrom(form, call.deliveredText().length());
      }
      try {
        CallAnswer<R> answer = op.price(AttemptStep.run(steps, attempt), call);
        if (answer.ttftMs() != null) {
          resilience.recordFirstToken(d.name(), Duration.ofNanos((long) (answer.ttftMs() * 1e6)));
        }
        AttemptJournal.answered(++number, attempt, answer);
        return answer;
      } catch (UncheckedIOException clientGone) {
        if (attempt.begun()) {
          AttemptJournal.abandoned(++number, attempt);
        }
        throw clientGone;
      } catch (BulkheadFullException | DeploymentUnavailableException e) {
        skipped = e;
        index++;
        sameRetries = 0;
        continue;
      } catch (ProviderException e) {
        if (!attempt.begun()) {
          throw e; // interrupted while waiting for a slot: no provider was asked
        }
        last = e;
        if (e.errorClass() == ErrorClass.SLOW_FIRST_TOKEN && attempt.adaptedFirstToken() != null) {
          // Waited only the learned timeout: record it as a sample (the answer took at least that
          // long), so a deployment that slows down raises its learned timeout instead of being
          // failed over from for ever.
          resilience.recordFirstToken(d.name(), attempt.adaptedFirstToken());
        }
        NextStep next =
            call.delivered() ? continuations.decide(e, attempt, route, index, deadline) : null;
        if (next == null) {
          next =
              decisions.decide(
                  e,
                  route,
                  index,
                  sameRetries,
                  largerContextTried,
                  group,
                  deadline,
                  call.delivered());
        }
        AttemptJournal.failed(++number, attempt, e, next);
        switch (next.kind()) {
          case RETRY -> {
            sameRetries++;
            sleep(next.delay());
          }
          case FAILOVER, CONTINUE -> {
            index = next.index();
            sameRetries = 0;
          }
          case LARGER_CONTEXT -> {
            group = router.group(group.largerContext()).orElseThrow();
            route = router.route(group);
            largerContextTried = true;
            index = 0;
            sameRetries = 0;
          }
          case GIVE_UP -> throw e;
        }
      }
    }
    if (last != null) {
      throw last;
    }
    throw unavailable(group, skipped);
  }

  /** Whether a deployment after {@code index} on the route could take the call now. */
  private boolean fallbackAfter(List<Deployment> route, int index) {
    for (int j = index + 1; j < route.size(); j++) {
      if (resilience.health(route.get(j).name()).available()) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorClass.DEADLINE_EXCEEDED, "interrupted during backoff", e);
    }
  }

  private static ProviderException deadlineExceeded(Deadline deadline, ProviderException last) {
    String cause =
        last == null
            ? ""
            : " (last failure: " + last.errorClass().wireName() + ": " + last.getMessage() + ")";
    return new ProviderException(
        ErrorClass.DEADLINE_EXCEEDED,
        "the request deadline of " + deadline + " left no time for another attempt" + cause);
  }

  private static NoDeploymentAvailableException unavailable(
      GroupConfig group, RuntimeException skipped) {
    if (skipped instanceof BulkheadFullException full) {
      return new NoDeploymentAvailableException(group.name(), Reason.OVERLOADED, full.retryAfter());
    }
    if (skipped instanceof DeploymentUnavailableException u) {
      Reason reason =
          u.reason() == DeploymentUnavailableException.Reason.COOLING_DOWN
              ? Reason.RATE_LIMITED
              : Reason.UNAVAILABLE;
      return new NoDeploymentAvailableException(group.name(), reason, u.retryAfter().orElse(null));
    }
    return new NoDeploymentAvailableException(group.name(), Reason.UNAVAILABLE, null);
  }
}
