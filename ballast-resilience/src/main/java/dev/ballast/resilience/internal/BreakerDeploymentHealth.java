package dev.ballast.resilience.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BreakerState;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.DeploymentUnavailableException;
import dev.ballast.resilience.DeploymentUnavailableException.Reason;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A Resilience4j circuit breaker plus a 429 {@link Cooldown}, judged by FailureClassification. */
public final class BreakerDeploymentHealth implements DeploymentHealth {
  private final String deployment;
  private final BreakerConfig config;
  private final Clock clock;
  private final CircuitBreaker breaker;
  private final Cooldown cooldown;
  private final RecentFailures recent;
  private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Who is to be told about a transition caused by the Resilience4j call a thread is making right
   * now. Resilience4j publishes a transition synchronously on the thread whose call caused it and
   * says nothing about that call, so the permit's own listener is registered for exactly the
   * duration of that one call ({@link #causedBy}); nothing outlives it.
   */
  private final Map<Thread, Consumer<Transition>> causing = new ConcurrentHashMap<>();

  /** Resilience4j does not expose when an open breaker will admit probes, so we remember it. */
  private volatile Instant openedAt = Instant.MIN;

  /** Half-open probes handed out; Resilience4j's own count is not observable without consuming. */
  private final AtomicInteger probesOut = new AtomicInteger();

  public BreakerDeploymentHealth(String deployment, BreakerConfig config, Clock clock) {
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.breaker = Breakers.create(deployment, config, clock);
    this.cooldown = new Cooldown(clock);
    this.recent = new RecentFailures(clock);
    breaker.getEventPublisher().onStateTransition(this::transitioned);
  }

  @Override
  public String deployment() {
    return deployment;
  }

  @Override
  public boolean available() {
    if (cooldown.until().isPresent()) {
      return false;
    }
    return switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> true;
      case FORCED_OPEN -> false;
      // Resilience4j moves to half-open on the first request strictly after the wait.
      case OPEN -> clock.instant().isAfter(openedAt.plus(config.waitInOpenState()));
      case HALF_OPEN -> probesOut.get() < config.halfOpenProbes();
    };
  }

  /**
   * Whether the breaker is closed although at least a quarter of the last {@value
   * RecentFailures#SECONDS} seconds' calls (and at least {@value #FAILING_OFTEN_CALLS} of them)
   * failed in a way that counts against a deployment: a breaker tuned not to trip, or one whose
   * window has not filled. A healthy deployment fails far fewer than one call in four; at one in
   * two, the threshold of a default breaker, a brownout's random failures would hover around it.
   * Routing puts such a deployment behind healthy ones; an open or half-open breaker is left to
   * itself, since its probes need the traffic.
   */
  @Override
  public boolean failingOften() {
    if (breaker.getState() != CircuitBreaker.State.CLOSED) {
      return false;
    }
    int[] counts = recent.counts();
    return counts[0] >= FAILING_OFTEN_CALLS && 4 * counts[1] >= counts[0];
  }

  /** The fewest recent calls that can make a deployment count as failing often. */
  static final int FAILING_OFTEN_CALLS = 20;

  @Override
  public Permit acquire(Consumer<Transition> causedHere) {
    Objects.requireNonNull(causedHere, "causedHere");
    Optional<Instant> coolingUntil = cooldown.until();
    if (coolingUntil.isPresent()) {
      Duration left = Duration.between(clock.instant(), coolingUntil.get());
      throw new DeploymentUnavailableException(deployment, Reason.COOLING_DOWN, left);
    }
    boolean permitted = causedBy(causedHere, breaker::tryAcquirePermission);
    if (!permitted) {
      throw new DeploymentUnavailableException(deployment, Reason.BREAKER_OPEN, openFor());
    }
    boolean probe = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
    if (probe) {
      probesOut.incrementAndGet();
    }
    return new BreakerPermit(this, probe, causedHere);
  }

  @Override
  public BreakerState state() {
    return Breakers.state(breaker.getState());
  }

  @Override
  public Optional<Instant> cooldownUntil() {
    return cooldown.until();
  }

  @Override
  public void cooldownUntil(Instant until) {
    cooldown.extendTo(Objects.requireNonNull(until, "until"));
  }

  @Override
  public void onTransition(Consumer<Transition> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void succeeded(Duration latency, Consumer<Transition> causedHere) {
    recent.record(false);
    causedBy(
        causedHere,
        () -> {
          breaker.onSuccess(latency.toNanos(), TimeUnit.NANOSECONDS);
          return null;
        });
  }

  void failed(
      ErrorClass error,
      Duration latency,
      Optional<Duration> retryAfter,
      boolean probe,
      Consumer<Transition> causedHere) {
    switch (FailureClassification.of(error).breaker()) {
      case FAILURE -> {
        recent.record(true);
        causedBy(
            causedHere,
            () -> {
              breaker.onError(
                  latency.toNanos(),
                  TimeUnit.NANOSECONDS,
                  new ProviderException(error, "counted against " + deployment));
              return null;
            });
      }
      case COOLDOWN -> {
        cooldown.extendTo(clock.instant().plus(cooldownFor(retryAfter)));
        released(probe);
      }
      case NONE -> released(probe);
    }
  }

  void released(boolean probe) {
    breaker.releasePermission();
    if (probe) {
      probesOut.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  /** Runs one Resilience4j call with the transitions it causes told to {@code causedHere}. */
  private <T> T causedBy(Consumer<Transition> causedHere, Supplier<T> call) {
    Thread thread = Thread.currentThread();
    causing.put(thread, causedHere);
    try {
      return call.get();
    } finally {
      causing.remove(thread);
    }
  }

  private Duration cooldownFor(Optional<Duration> retryAfter) {
    Duration wanted = retryAfter.filter(d -> d.isPositive()).orElse(config.defaultCooldown());
    return wanted.compareTo(config.maxCooldown()) <= 0 ? wanted : config.maxCooldown();
  }

  private Duration openFor() {
    Duration left = Duration.between(clock.instant(), openedAt.plus(config.waitInOpenState()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
    Instant now = clock.instant();
    CircuitBreaker.State to = event.getStateTransition().getToState();
    if (to == CircuitBreaker.State.OPEN) {
      openedAt = now;
    }
    if (to == CircuitBreaker.State.HALF_OPEN) {
      probesOut.set(0);
    }
    Transition transition =
        new Transition(
            deployment,
            Breakers.state(event.getStateTransition().getFromState()),
            Breakers.state(to),
            now);
    for (Consumer<Transition> listener : listeners) {
      tell(listener, transition);
    }
    Consumer<Transition> cause = causing.get(Thread.currentThread());
    if (cause != null) {
      tell(cause, transition);
    }
  }

  private static void tell(Consumer<Transition> listener, Transition transition) {
    try {
      listener.accept(transition);
    } catch (RuntimeException ignored) {
      // A journal or metrics listener must never break the request that caused the transition.
    }
  }
}
