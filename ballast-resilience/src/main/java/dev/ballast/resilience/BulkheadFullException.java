package dev.ballast.resilience;

import dev.ballast.core.BallastException;
import java.time.Duration;

/** A {@link PriorityBulkhead} had no slot within the caller's wait: the call was shed. */
public class BulkheadFullException extends BallastException {
  private final String deployment;
  private final Priority priority;
  private final transient Duration retryAfter;

  public BulkheadFullException(String deployment, Priority priority, Duration retryAfter) {
    super("bulkhead of deployment " + deployment + " is full; shed " + priority + " call");
    this.deployment = deployment;
    this.priority = priority;
    this.retryAfter = retryAfter;
  }

  public String deployment() {
    return deployment;
  }

  public Priority priority() {
    return priority;
  }

  /** When the caller should try again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
