package dev.ballast.core.pipeline;

import dev.ballast.core.BallastException;
import java.time.Instant;

/**
 * The stage's dependency refuses work for now (its circuit breaker is open): the run is parked,
 * without counting an attempt, until {@code until} or until the dependency recovers.
 */
public class DependencyUnavailableException extends BallastException {
  private final String dependency;
  private final Instant until;

  public DependencyUnavailableException(String dependency, Instant until, String message) {
    super(message);
    this.dependency = dependency;
    this.until = until;
  }

  public String dependency() {
    return dependency;
  }

  public Instant until() {
    return until;
  }
}
