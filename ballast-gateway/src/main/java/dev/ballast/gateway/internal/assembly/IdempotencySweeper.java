package dev.ballast.gateway.internal.assembly;

import dev.ballast.gateway.internal.http.Idempotency;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired {@code Idempotency-Key} rows (and claims abandoned by a crashed node) on a
 * schedule, so that the table holds only keys a retry could still be answered from. Every node
 * sweeps; a row deleted twice is deleted once. A failed sweep is logged and tried at the next tick.
 */
final class IdempotencySweeper implements AutoCloseable {
  /** How often a node sweeps. */
  static final Duration EVERY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencySweeper.class);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("idempotency-sweeper").factory());

  IdempotencySweeper(Idempotency idempotency, Duration every) {
    long millis = every.toMillis();
    executor.scheduleWithFixedDelay(
        () -> sweep(idempotency), millis, millis, TimeUnit.MILLISECONDS);
  }

  private static void sweep(Idempotency idempotency) {
    try {
      int swept = idempotency.sweep();
      if (swept > 0) {
        LOG.debug("swept {} expired idempotency keys", swept);
      }
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired idempotency keys failed; tried again later: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
