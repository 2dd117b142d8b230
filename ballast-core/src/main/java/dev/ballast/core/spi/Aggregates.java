package dev.ballast.core.spi;

import dev.ballast.core.stats.GenerationStats;
import dev.ballast.core.stats.PipelineStats;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import dev.ballast.core.stats.StatsBucket;
import dev.ballast.core.stats.StatsQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Aggregates over the journal, the run queue and the collections, computed by the store where the
 * rows are, so that an operator's view of a week of traffic moves a few hundred numbers rather than
 * a million runs. Read-only. Implementations are thread-safe.
 */
public interface Aggregates {

  /**
   * The window's buckets, one per series and bucket that holds anything (empty buckets are left
   * out), in no particular order.
   */
  List<StatsBucket> series(StatsQuery query);

  /**
   * Every pipeline with queued runs, now.
   *
   * @param tenant only this tenant's runs; null for every tenant
   * @param recent the window over which succeeded runs are counted
   */
  List<PipelineStats> pipelineStats(String tenant, Instant now, Duration recent);

  /**
   * The collection's latest generations, newest first, with what is live in each.
   *
   * @param limit how many generations at most
   */
  List<GenerationStats> generations(String collection, int limit);

  /**
   * What was spent in the query's window, per group, from the journal's provider attempts: one row
   * per group that made an attempt, in no particular order.
   */
  List<SpendRow> spend(SpendQuery query);
}
