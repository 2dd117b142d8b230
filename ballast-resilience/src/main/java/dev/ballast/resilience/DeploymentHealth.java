package dev.ballast.resilience;

import dev.ballast.core.ErrorClass;
import dev.ballast.resilience.internal.BreakerDeploymentHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether one deployment is worth calling: a circuit breaker (Resilience4j) plus a 429 cooldown. A
 * cooldown takes the deployment out of routing until the provider's Retry-After but is never
 * counted as a breaker failure, because a rate limit says the deployment is busy, not broken.
 *
 * <p>Thread-safe. Time comes from the injected {@link Clock}.
 */
public interface DeploymentHealth {

  static DeploymentHealth create(String deployment, BreakerConfig config, Clock clock) {
    return new BreakerDeploymentHealth(deployment, config, clock);
  }

  String deployment();

  /**
   * Whether routing a call here is worthwhile: the breaker would let a call through and the
   * deployment is not cooling down. Consumes nothing (unlike acquiring a half-open permit), so the
   * router can ask about every candidate; {@link #acquire()} remains the authority.
   */
  boolean available();

  /**
   * Whether the deployment, its breaker closed, has lately failed at least a quarter of its calls:
   * routing then tries healthy deployments before it (docs/resilience.md). False by default.
   */
  default boolean failingOften() {
    return false;
  }

  /**
   * Takes a permit for one call. The permit must be completed exactly once with one of its methods.
   *
   * @throws DeploymentUnavailableException if the breaker refuses the call or the deployment is
   *     cooling down
   */
  default Permit acquire() {
    return acquire(transition -> {});
  }

  /**
   * Takes a permit for one call, telling {@code causedHere} about every breaker transition that
   * this acquisition or the permit's completion causes (a half-open probe admitted, a failure that
   * trips the breaker, a success that closes it), in addition to the listeners registered with
   * {@link #onTransition}. That is how a run journals the transitions its own attempts caused.
   * {@code causedHere} runs on the calling thread; what it throws is swallowed.
   *
   * @throws DeploymentUnavailableException if the breaker refuses the call or the deployment is
   *     cooling down
   */
  Permit acquire(Consumer<Transition> causedHere);

  BreakerState state();

  /** The end of the current 429 cooldown, if the deployment is cooling down. */
  Optional<Instant> cooldownUntil();

  /** Cools the deployment down until {@code until} (or longer, if already cooling down longer). */
  void cooldownUntil(Instant until);

  /**
   * Registers a listener for breaker state transitions (for the journal and metrics). Listeners run
   * on the thread that caused the transition; they must not block, and what they throw is
   * swallowed.
   */
  void onTransition(Consumer<Transition> listener);

  /** Permission for one call; complete it with exactly one of its methods. */
  interface Permit {

    /** The call succeeded; {@code latency} decides whether it counts as slow. */
    void onSuccess(Duration latency);

    /**
     * The call failed. {@link dev.ballast.core.FailureClassification} decides the effect: a failure
     * is recorded, a 429 starts a cooldown (for {@code retryAfter}, or the default) and counts
     * nothing, and errors that are not the deployment's fault count nothing.
     */
    void onFailure(ErrorClass error, Duration latency, Optional<Duration> retryAfter);

    /** The call was never made; the permit is returned without counting anything. */
    void release();
  }

  /** A breaker state transition of {@code deployment} at {@code at}. */
  record Transition(String deployment, BreakerState from, BreakerState to, Instant at) {}
}
