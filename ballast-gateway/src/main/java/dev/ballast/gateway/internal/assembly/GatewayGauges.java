package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Resilience;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.queue.QueueState;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.telemetry.BallastMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;

/**
 * The gauges of one node, read at every scrape from the same sources as {@code /v1/ballast/status}:
 * the journal writer, each deployment's breaker and retry budget, the run queue and the engine.
 * Queue gauges describe the store's queue, shared by every node on it, so each node reports the
 * same values (aggregate them with {@code max}, not {@code sum}).
 */
final class GatewayGauges {
  /** {@code ballast_pipeline_leases_lost_total}. */
  static final String LEASES_LOST = "ballast.pipeline.leases.lost";

  /** {@code ballast_queue_expired_leases}. */
  static final String EXPIRED_LEASES = "ballast.queue.expired.leases";

  static final String GLOBAL_SCOPE = "global";

  private GatewayGauges() {}

  static void register(
      BallastMetrics metrics,
      JournalWriter journal,
      Resilience resilience,
      PipelineEngine engine,
      Clock clock) {
    metrics.registerJournal(journal::stats);
    registerDeployments(metrics, resilience);
    registerQueue(
        metrics, new QueueStatsCache(engine::queueStats, clock, QueueStatsCache.DEFAULT_TTL));
    FunctionCounter.builder(LEASES_LOST, engine, e -> e.stats().leasesLost())
        .description("Leases this node lost: a heartbeat refused or a write fenced off")
        .register(metrics.registry());
  }

  private static void registerDeployments(BallastMetrics metrics, Resilience resilience) {
    resilience
        .allHealth()
        .forEach(
            (name, health) -> {
              metrics.registerBreakerState(name, () -> health.state().wireName());
              metrics.registerRetryBudget(
                  name, () -> resilience.budgets().forDeployment(name).remaining());
            });
    metrics.registerRetryBudget(GLOBAL_SCOPE, () -> resilience.budgets().global().remaining());
  }

  private static void registerQueue(BallastMetrics metrics, QueueStatsCache stats) {
    for (QueueState state : QueueState.values()) {
      metrics.registerQueueDepth(state.wireName(), () -> stats.get().depth(state));
    }
    metrics.registerOldestReadyAge(() -> stats.get().oldestReadyAge());
    Gauge.builder(EXPIRED_LEASES, stats, s -> (double) s.get().expiredLeases())
        .description(
            "Running runs whose lease has expired: their worker is presumed dead and another"
                + " node will take them over")
        .strongReference(true)
        .register(metrics.registry());
  }
}
