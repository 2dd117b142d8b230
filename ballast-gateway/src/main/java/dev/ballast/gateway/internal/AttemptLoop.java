package dev.ballast.gateway.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.FailureClassification.Disposition;
import dev.ballast.core.FailureClassification.Failover;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.resilience.BulkheadFullException;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.DeploymentUnavailableException;
import dev.ballast.resilience.Priority;
import dev.ballast.resilience.PriorityBulkhead;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The per-request resilience chain (docs/resilience.md): for each attempt, deadline check →
 * bulkhead → circuit breaker → call with timeouts capped by the deadline → classify in {@link
 * FailureClassification} → retry budget gate → backoff (honouring Retry-After) on the same
 * deployment, or fail over along the route.
 *
 * <p>Invariants: every attempt that reached a provider is reported to the observer exactly once,
 * with the decision taken after it; every breaker permit is completed; every extra attempt (retry
 * or failover) was granted by both the deployment's and the global retry budget; no attempt starts
 * after the deadline; nothing is retried once {@code mayRetry} says part of the answer reached the
 * client.
 */
final class AttemptLoop {
  /** One attempt at one deployment. */
  interface Attempt<T> {
    T call(Deployment deployment, CallOptions options);
  }

  /** Told about every attempt; builds the journal events. */
  interface Observer<T> {
    void succeeded(
        int attempt, Deployment deployment, T value, long startNanos, String breakerState);

    /** A breaker changed state during this run's attempt. */
    void breakerChanged(String deployment, String from, String to);

    void failed(
        int attempt,
        Deployment deployment,
        ProviderException error,
        long startNanos,
        String breakerState,
        String decision);
  }

  // The shortest attempt worth starting: below this the deadline, not the provider, would decide.
  private static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

  private final Router router;
  private final Resilience resilience;

  AttemptLoop(Router router, Resilience resilience) {
    this.router = router;
    this.resilience = resilience;
  }

  <T> T run(
      GroupConfig group,
      Deadline deadline,
      Priority priority,
      BooleanSupplier mayRetry,
      Attempt<T> attempt,
      Observer<T> observer) {
    return resilience.observingTransitions(
        t -> observer.breakerChanged(t.deployment(), t.from().wireName(), t.to().wireName()),
        () -> attempts(group, deadline, priority, mayRetry, attempt, observer));
  }

  private <T> T attempts(
      GroupConfig group,
      Deadline deadline,
      Priority priority,
      BooleanSupplier mayRetry,
      Attempt<T> attempt,
      Observer<T> observer) {
    List<Deployment> route = router.route(group);
    boolean largerContextTried = false;
    ProviderException last = null;
    RuntimeException skipped = null;
    int attemptNo = 0;
    int index = 0;
    int sameRetries = 0;
    boolean recorded = false;
    while (index < route.size()) {
      Deployment d = route.get(index);
      if (!deadline.fits(MIN_ATTEMPT)) {
        throw deadlineExceeded(deadline, last);
      }
      if (!recorded) {
        resilience.budgets().recordRequest(d.name());
        recorded = true;
      }
      DeploymentHealth health = resilience.health(d.name());
      PriorityBulkhead.Slot slot;
      DeploymentHealth.Permit permit;
      try {
        slot = resilience.bulkhead(d.name()).acquire(priority, deadline);
      } catch (BulkheadFullException e) {
        skipped = e;
        index++;
        sameRetries = 0;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(
            ErrorClass.DEADLINE_EXCEEDED, "interrupted while waiting for a slot", e);
      }
      try {
        permit = health.acquire();
      } catch (DeploymentUnavailableException e) {
        slot.close();
        skipped = e;
        index++;
        sameRetries = 0;
        continue;
      }
      attemptNo++;
      long start = System.nanoTime();
      String breaker = health.state().wireName();
      CallOptions options =
          new CallOptions(d.config().model(), d.config().timeouts().cappedAt(deadline.remaining()));
      T value;
      try {
        value = attempt.call(d, options);
      } catch (ProviderException e) {
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        permit.onFailure(e.errorClass(), latency, e.retryAfter());
        slot.close();
        last = e;
        Next next =
            decide(e, route, index, sameRetries, largerContextTried, group, deadline, mayRetry);
        observer.failed(attemptNo, d, e, start, breaker, next.decision());
        switch (next.kind()) {
          case RETRY -> {
            sameRetries++;
            sleep(next.delay());
          }
          case FAILOVER -> {
            index = next.index();
            sameRetries = 0;
          }
          case LARGER_CONTEXT -> {
            route = router.route(router.group(group.largerContext()).orElseThrow());
            group = router.group(group.largerContext()).orElseThrow();
            largerContextTried = true;
            index = 0;
            sameRetries = 0;
          }
          case GIVE_UP -> throw e;
        }
        continue;
      } catch (Throwable t) {
        // Whatever else escapes the call (a bug, or an Error such as the StackOverflowError a
        // self-referencing client schema caused) gives the slot and the permit back: one leak per
        // such request would, after max_concurrent of them, refuse every tenant.
        permit.release();
        slot.close();
        throw t;
      }
      permit.onSuccess(Duration.ofNanos(System.nanoTime() - start));
      slot.close();
      observer.succeeded(attemptNo, d, value, start, breaker);
      return value;
    }
    if (last != null) {
      throw last;
    }
    throw unavailable(group, skipped);
  }

  private enum Kind {
    RETRY,
    FAILOVER,
    LARGER_CONTEXT,
    GIVE_UP
  }

  private record Next(Kind kind, int index, Duration delay, String decision) {
    static Next giveUp(String why) {
      return new Next(Kind.GIVE_UP, -1, null, why);
    }
  }

  private Next decide(
      ProviderException e,
      List<Deployment> route,
      int index,
      int sameRetries,
      boolean largerContextTried,
      GroupConfig group,
      Deadline deadline,
      BooleanSupplier mayRetry) {
    if (!mayRetry.getAsBoolean()) {
      return Next.giveUp("gave_up_after_first_token");
    }
    Disposition disposition = FailureClassification.of(e.errorClass());
    if (disposition.failover() == Failover.LARGER_CONTEXT_ONLY) {
      if (group.largerContext() != null && !largerContextTried) {
        return new Next(Kind.LARGER_CONTEXT, 0, null, "larger_context:" + group.largerContext());
      }
      return Next.giveUp("gave_up");
    }
    boolean rateLimited = e.errorClass() == ErrorClass.RATE_LIMITED;
    // A rate-limited deployment is better left alone while another can answer now; any other
    // retriable failure gets its one retry on the same deployment first.
    if (rateLimited) {
      Next failover = failover(disposition, route, index);
      if (failover != null) {
        return failover;
      }
    }
    if (disposition.retrySameDeployment() && sameRetries < resilience.maxRetriesPerDeployment()) {
      Optional<Duration> delay =
          resilience.backoff().delayFor(sameRetries, e.retryAfter(), deadline);
      if (delay.isPresent() && resilience.budgets().tryAcquire(route.get(index).name())) {
        return new Next(Kind.RETRY, index, delay.get(), "retry");
      }
    }
    if (!rateLimited) {
      Next failover = failover(disposition, route, index);
      if (failover != null) {
        return failover;
      }
    }
    return Next.giveUp(
        disposition.failover() == Failover.NONE || disposition.terminal()
            ? "gave_up"
            : "gave_up_no_budget_or_route");
  }

  /**
   * The next deployment that can take the request now, if the global budget allows an extra
   * attempt. A failover adds no load to the failing deployment, and a fallback sees few first
   * attempts of its own, so its per-deployment budget (which guards against retry storms on it)
   * would starve failover exactly when it is needed; the global budget still bounds the total.
   */
  private Next failover(Disposition disposition, List<Deployment> route, int index) {
    if (disposition.failover() != Failover.ANY) {
      return null;
    }
    for (int j = index + 1; j < route.size(); j++) {
      Deployment candidate = route.get(j);
      if (resilience.health(candidate.name()).available()
          && resilience.budgets().global().tryAcquireRetry()) {
        return new Next(Kind.FAILOVER, j, null, "failover:" + candidate.name());
      }
    }
    return null;
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

  private static RuntimeException unavailable(GroupConfig group, RuntimeException skipped) {
    if (skipped instanceof BulkheadFullException full) {
      return new ApiError(
          429,
          "rate_limit_error",
          "gateway_overloaded",
          null,
          "Every deployment of '" + group.name() + "' is at its concurrency limit; retry later.",
          Math.max(1, full.retryAfter().toSeconds()));
    }
    if (skipped instanceof DeploymentUnavailableException u
        && u.reason() == DeploymentUnavailableException.Reason.COOLING_DOWN) {
      // Every deployment is resting after a 429: the honest answer is a 429 with the time left.
      return new ApiError(
          429,
          "rate_limit_error",
          "upstream_rate_limited",
          null,
          "Every deployment of '" + group.name() + "' is rate limited; retry after the cooldown.",
          u.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(1L));
    }
    Long retryAfter =
        skipped instanceof DeploymentUnavailableException u
            ? u.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null)
            : null;
    return new ApiError(
        503,
        "upstream_error",
        "no_deployment_available",
        null,
        "No deployment of '"
            + group.name()
            + "' is available (circuit breakers open or cooling down after 429s).",
        retryAfter);
  }
}
