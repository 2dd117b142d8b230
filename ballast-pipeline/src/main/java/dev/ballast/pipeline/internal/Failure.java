package dev.ballast.pipeline.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import dev.ballast.core.pipeline.DependencyUnavailableException;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.queue.FencedOffException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a stage attempt failed, decided in one place from what the handler threw: whether another
 * attempt may succeed, how the failure counts for the dependency's breaker (by the gateway's
 * failure table), and whether the run should park instead of spending an attempt.
 *
 * @param breakerClass how the dependency's breaker counts it; null for "not the dependency's fault"
 *     (the permit is released)
 * @param parkOn the dependency to wait for, or null
 * @param parkUntil with {@code parkOn}: when to look again at the latest
 * @param lostLease the worker lost the run; nothing may be written
 * @param halts the run goes to {@code dead} at once, whatever attempts are left: an operator
 *     resumes it once the cause is fixed (a spent budget)
 */
public record Failure(
    String errorClass,
    String message,
    boolean retryable,
    ErrorClass breakerClass,
    Optional<Duration> retryAfter,
    String parkOn,
    Instant parkUntil,
    boolean lostLease,
    boolean halts) {

  static Failure of(String errorClass, String message, boolean retryable, ErrorClass breakerClass) {
    return new Failure(
        errorClass, message, retryable, breakerClass, Optional.empty(), null, null, false, false);
  }

  static Failure lost(String message) {
    return new Failure(
        "lease_lost", message, false, null, Optional.empty(), null, null, true, false);
  }

  /**
   * The node is shutting down with the attempt still running: the run is parked until {@code now}
   * (a park spends no attempt), so another node claims it at once instead of waiting for the lease
   * to lapse. Anything the abandoned attempt still tries to write is fenced off: the run is no
   * longer running under this lease.
   */
  static Failure handBack(Instant now) {
    return new Failure(
        "node_shutdown",
        "the node shut down during the attempt; handed back for another node to take over",
        true,
        null,
        Optional.empty(),
        HANDED_BACK,
        now,
        false,
        false);
  }

  /** The dependency a handed-back run is parked on: nothing wakes it, it is claimable at once. */
  static final String HANDED_BACK = "node:shutdown";

  static Failure park(String dependency, Instant until, String message) {
    return new Failure(
        "dependency_unavailable",
        message,
        true,
        null,
        Optional.empty(),
        dependency,
        until,
        false,
        false);
  }

  static Failure halt(String errorClass, String message) {
    return new Failure(errorClass, message, false, null, Optional.empty(), null, null, false, true);
  }

  /**
   * Classifies what a handler threw.
   *
   * @param dependency the stage's dependency, which {@link ErrorClass#REJECTED} parks on
   * @param openUntil when a refused dependency is worth trying again
   */
  public static Failure classify(Throwable t, String dependency, Instant openUntil) {
    return switch (t) {
      case FencedOffException e -> lost(e.getMessage());
      case DependencyUnavailableException e ->
          park(e.dependency(), e.until() == null ? openUntil : e.until(), e.getMessage());
      case StageException e when e.halts() -> halt(e.errorClass(), e.getMessage());
      case StageException e -> {
        // A retryable failure counts for the dependency's breaker as the failure table classed it
        // (a stage's own retryable failure as the dependency failing); a final one not at all.
        ErrorClass breaker = e.retryable() ? e.failure().orElse(ErrorClass.SERVER_ERROR) : null;
        yield of(e.errorClass(), e.getMessage(), e.retryable(), breaker);
      }
      case ProviderException e -> provider(e, dependency, openUntil);
      default -> of("exception", t.toString(), true, ErrorClass.SERVER_ERROR);
    };
  }

  private static Failure provider(ProviderException e, String dependency, Instant openUntil) {
    ErrorClass ec = e.errorClass();
    if (ec == ErrorClass.REJECTED && dependency != null) {
      return park(dependency, openUntil, e.getMessage());
    }
    if (ec == ErrorClass.DEADLINE_EXCEEDED) {
      // The call's deadline is the stage attempt's: an attempt that ran out of time.
      return of("timeout", e.getMessage(), true, ErrorClass.TIMEOUT);
    }
    FailureClassification.Disposition d = FailureClassification.of(ec);
    boolean retryable =
        d.retrySameDeployment() || d.failover() == FailureClassification.Failover.ANY;
    return new Failure(
        ec.wireName(), e.getMessage(), retryable, ec, e.retryAfter(), null, null, false, false);
  }
}
