package dev.ballast.calls;

import java.time.Duration;

/**
 * Every deployment on the call's route was skipped before an attempt could be made, so no provider
 * was asked.
 */
public final class NoDeploymentAvailableException extends CallRefusedException {

  /** Why the last deployment on the route was skipped. */
  public enum Reason {
    /** Every bulkhead the call reached was full: the gateway itself is at its limit. */
    OVERLOADED,
    /** Every deployment is cooling down after a 429. */
    RATE_LIMITED,
    /** Circuit breakers are open (or a deployment was cooling down behind an open one). */
    UNAVAILABLE
  }

  private final String group;
  private final Reason reason;

  public NoDeploymentAvailableException(String group, Reason reason, Duration retryAfter) {
    super(message(group, reason), retryAfter);
    this.group = group;
    this.reason = reason;
  }

  public String group() {
    return group;
  }

  public Reason reason() {
    return reason;
  }

  private static String message(String group, Reason reason) {
    return switch (reason) {
      case OVERLOADED ->
          "Every deployment of '" + group + "' is at its concurrency limit; retry later.";
      case RATE_LIMITED ->
          "Every deployment of '" + group + "' is rate limited; retry after the cooldown.";
      case UNAVAILABLE ->
          "No deployment of '"
              + group
              + "' is available (circuit breakers open or cooling down after 429s).";
    };
  }
}
