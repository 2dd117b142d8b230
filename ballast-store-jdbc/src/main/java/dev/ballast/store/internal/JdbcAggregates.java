package dev.ballast.store.internal;

import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.stats.GenerationStats;
import dev.ballast.core.stats.PipelineStats;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import dev.ballast.core.stats.StatsBucket;
import dev.ballast.core.stats.StatsQuery;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The console's aggregates over JDBC: {@link JdbcRunStats}, {@link JdbcPipelineStats} and {@link
 * JdbcGenerationStats} on a read connection, with their {@link SQLException}s turned into {@link
 * StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcAggregates implements Aggregates {
  private final Dialect dialect;
  private final Connections connections;
  private final SqlFailures failures;

  JdbcAggregates(Dialect dialect, Connections connections, SqlFailures failures) {
    this.dialect = dialect;
    this.connections = connections;
    this.failures = failures;
  }

  @Override
  public List<StatsBucket> series(StatsQuery query) {
    try {
      return connections.read(c -> new JdbcRunStats(dialect).read(c, query));
    } catch (SQLException e) {
      throw failures.of("reading run statistics", e);
    }
  }

  @Override
  public List<PipelineStats> pipelineStats(String tenant, Instant now, Duration recent) {
    try {
      return connections.read(
          c ->
              new JdbcPipelineStats(dialect, new JdbcQueueRows(dialect))
                  .read(c, tenant, now, recent));
    } catch (SQLException e) {
      throw failures.of("reading pipeline statistics", e);
    }
  }

  @Override
  public List<GenerationStats> generations(String collection, int limit) {
    try {
      return connections.read(c -> new JdbcGenerationStats().read(c, collection, limit));
    } catch (SQLException e) {
      throw failures.of("reading the generations of collection " + collection, e);
    }
  }

  @Override
  public List<SpendRow> spend(SpendQuery query) {
    try {
      return connections.read(c -> new JdbcSpend(dialect).read(c, query));
    } catch (SQLException e) {
      throw failures.of("reading the spend report", e);
    }
  }
}
