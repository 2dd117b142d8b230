package dev.ballast.pipeline.internal;

import dev.ballast.core.spi.RunQueue;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.resilience.BreakerState;
import dev.ballast.resilience.DeploymentHealth;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per stage dependency ({@code model:GROUP}, {@code http:HOST:PORT}, or a name
 * a pipeline gives). Breakers are per node, like the gateway's: each node learns a dependency's
 * health from its own calls. When a breaker closes, the runs parked on it are woken at once.
 */
final class Dependencies {
  private static final Logger LOG = LoggerFactory.getLogger(Dependencies.class);

  private final BreakerConfig config;
  private final Clock clock;
  private final RunQueue queue;
  private final Map<String, DeploymentHealth> breakers = new ConcurrentHashMap<>();

  Dependencies(BreakerConfig config, Clock clock, RunQueue queue) {
    this.config = config;
    this.clock = clock;
    this.queue = queue;
  }

  DeploymentHealth of(String dependency) {
    return breakers.computeIfAbsent(dependency, this::create);
  }

  Map<String, DeploymentHealth> all() {
    return Map.copyOf(breakers);
  }

  BreakerConfig config() {
    return config;
  }

  private DeploymentHealth create(String dependency) {
    DeploymentHealth health = DeploymentHealth.create(dependency, config, clock);
    health.onTransition(
        t -> {
          LOG.info("dependency {} breaker {} -> {}", dependency, t.from(), t.to());
          if (t.to() == BreakerState.CLOSED) {
            // Listeners must not block the caller for long; waking is one UPDATE.
            Thread.ofVirtual().start(() -> wake(dependency));
          }
        });
    return health;
  }

  private void wake(String dependency) {
    try {
      int woken = queue.wake(dependency, clock.instant());
      if (woken > 0) {
        LOG.info("dependency {} recovered: woke {} parked runs", dependency, woken);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not wake runs parked on {}: {}", dependency, e.toString());
    }
  }
}
