package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Resilience;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.queue.QueueState;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.retrieval.IndexStatus;
import dev.ballast.retrieval.Indexes;
import dev.ballast.telemetry.BallastMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;

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

  /** {@code ballast_index_lag_generations{collection}}. */
  static final String INDEX_LAG = "ballast.index.lag.generations";

  static final String GLOBAL_SCOPE = "global";

  private GatewayGauges() {}

  static void register(
      BallastMetrics metrics,
      JournalWriter journal,
      Resilience resilience,
      PipelineEngine engine,
      Clock clock) {
    metrics.registerJournal(journal::stats);
    registerDeployments(metrics, resilience, resilience.allHealth().keySet());
    metrics.registerRetryBudget(GLOBAL_SCOPE, () -> resilience.budgets().global().remaining());
    registerQueue(
        metrics, new QueueStatsCache(engine::queueStats, clock, QueueStatsCache.DEFAULT_TTL));
    FunctionCounter.builder(LEASES_LOST, engine, e -> e.stats().leasesLost())
        .description("Leases this node lost: a heartbeat refused or a write fenced off")
        .register(metrics.registry());
  }

  /**
   * Per configured collection, how many committed generations this node's index has not applied yet
   * (as of the index tailer's last look at the store; 0 before the index is open).
   */
  static void registerIndexes(BallastMetrics metrics, Indexes indexes, Set<String> collections) {
    for (String collection : collections) {
      Gauge.builder(INDEX_LAG, indexes, i -> lag(i, collection))
          .description("Generations committed in the store that this node's index has not applied")
          .tag("collection", collection)
          .strongReference(true)
          .register(metrics.registry());
    }
  }

  private static double lag(Indexes indexes, String collection) {
    for (IndexStatus s : indexes.status()) {
      if (s.collection().equals(collection)) {
        return s.lag();
      }
    }
    return 0;
  }

  /**
   * A breaker-state and a retry-budget gauge per deployment; called again after a reload for the
   * deployments it added (registering a gauge twice keeps the first). Each gauge looks its
   * deployment up when read, since a reload may replace a deployment's breaker or the budgets.
   */
  static void registerDeployments(
      BallastMetrics metrics, Resilience resilience, Collection<String> deployments) {
    for (String name : deployments) {
      metrics.registerBreakerState(name, () -> resilience.health(name).state().wireName());
      metrics.registerRetryBudget(name, () -> resilience.budgets().forDeployment(name).remaining());
    }
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
