package dev.ballast.core.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs one stage.
 *
 * @param timeout how long one attempt may take before it is abandoned and counted as failed
 * @param retry attempts and backoff
 * @param dependency the name of what the stage calls (a model group, a webhook host), or null for
 *     none: failures of the stage feed that dependency's circuit breaker, and while it is open runs
 *     whose next stage needs it wait, parked, instead of burning attempts
 * @param effectful true when the stage changes the world outside the run (a webhook, a memory
 *     write); its effects go through the effects ledger with a stable key
 */
public record StagePolicy(
    Duration timeout, RetryPolicy retry, String dependency, boolean effectful) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public StagePolicy {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
    }
    if (dependency != null && dependency.isBlank()) {
      dependency = null;
    }
  }

  public static StagePolicy defaults() {
    return new StagePolicy(DEFAULT_TIMEOUT, RetryPolicy.DEFAULT, null, false);
  }

  public StagePolicy withTimeout(Duration newTimeout) {
    return new StagePolicy(newTimeout, retry, dependency, effectful);
  }

  public StagePolicy withRetry(RetryPolicy newRetry) {
    return new StagePolicy(timeout, newRetry, dependency, effectful);
  }

  public StagePolicy withDependency(String newDependency) {
    return new StagePolicy(timeout, retry, newDependency, effectful);
  }

  public StagePolicy withEffectful(boolean newEffectful) {
    return new StagePolicy(timeout, retry, dependency, newEffectful);
  }
}
