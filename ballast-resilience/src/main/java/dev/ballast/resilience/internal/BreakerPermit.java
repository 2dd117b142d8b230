package dev.ballast.resilience.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.resilience.DeploymentHealth;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One call's permit; completing it twice is ignored so that a permit can never count twice. */
final class BreakerPermit implements DeploymentHealth.Permit {
  private final BreakerDeploymentHealth health;
  private final boolean probe;
  private final Consumer<DeploymentHealth.Transition> causedHere;
  private final AtomicBoolean done = new AtomicBoolean();

  BreakerPermit(
      BreakerDeploymentHealth health,
      boolean probe,
      Consumer<DeploymentHealth.Transition> causedHere) {
    this.health = health;
    this.probe = probe;
    this.causedHere = causedHere;
  }

  @Override
  public void onSuccess(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (done.compareAndSet(false, true)) {
      health.succeeded(latency, causedHere);
    }
  }

  @Override
  public void onFailure(ErrorClass error, Duration latency, Optional<Duration> retryAfter) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (done.compareAndSet(false, true)) {
      health.failed(error, latency, retryAfter, probe, causedHere);
    }
  }

  @Override
  public void release() {
    if (done.compareAndSet(false, true)) {
      health.released(probe);
    }
  }
}
