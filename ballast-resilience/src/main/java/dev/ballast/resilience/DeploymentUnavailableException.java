package dev.ballast.resilience;

import dev.ballast.core.BallastException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link DeploymentHealth#acquire()} refused a call: the breaker is open or the 429 cooldown runs.
 */
public class DeploymentUnavailableException extends BallastException {

  /** Why the deployment refused the call. */
  public enum Reason {
    BREAKER_OPEN,
    COOLING_DOWN
  }

  private final String deployment;
  private final Reason reason;
  private final transient Duration retryAfter;

  public DeploymentUnavailableException(String deployment, Reason reason, Duration retryAfter) {
    super(
        "deployment "
            + deployment
            + " unavailable: "
            + reason.name().toLowerCase(java.util.Locale.ROOT));
    this.deployment = deployment;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public String deployment() {
    return deployment;
  }

  public Reason reason() {
    return reason;
  }

  /** When the deployment may take calls again, if known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
