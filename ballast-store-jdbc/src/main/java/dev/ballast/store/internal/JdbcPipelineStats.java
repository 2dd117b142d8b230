package dev.ballast.store.internal;

import dev.ballast.core.queue.QueueState;
import dev.ballast.core.stats.PipelineStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-pipeline queue statistics: depth per state, the oldest claimable run, failures per stage from
 * the queue, and recently succeeded runs from the run summaries (by start time, on the {@code
 * (status, started_at)} index).
 */
final class JdbcPipelineStats {
  private final Dialect dialect;
  private final JdbcQueueRows rows;

  JdbcPipelineStats(Dialect dialect, JdbcQueueRows rows) {
    this.dialect = dialect;
    this.rows = rows;
  }

  List<PipelineStats> read(Connection c, String tenant, Instant now, Duration recent)
      throws SQLException {
    Map<String, Acc> pipelines = new TreeMap<>();
    String byTenant = tenant == null ? "" : " AND tenant = ?";
    each(
        c,
        "SELECT pipeline, state, count(*) AS n FROM run_queue WHERE 1 = 1"
            + byTenant
            + " GROUP BY pipeline, state",
        tenant == null ? new Object[0] : new Object[] {tenant},
        rs ->
            acc(pipelines, rs.getString("pipeline"))
                .depth
                .put(QueueState.parse(rs.getString("state")), rs.getLong("n")));
    each(
        c,
        "SELECT pipeline, min(available_at) AS oldest FROM run_queue"
            + " WHERE state IN ('queued', 'waiting') AND available_at <= ?"
            + byTenant
            + " GROUP BY pipeline",
        tenant == null ? new Object[] {now} : new Object[] {now, tenant},
        rs -> {
          Instant oldest = dialect.instant(rs, "oldest");
          if (oldest != null) {
            acc(pipelines, rs.getString("pipeline")).oldestReady = Duration.between(oldest, now);
          }
        });
    each(
        c,
        "SELECT pipeline, coalesce(failed_stage, '') AS stage, count(*) AS n FROM run_queue"
            + " WHERE state IN ('dead', 'failed')"
            + byTenant
            + " GROUP BY pipeline, failed_stage",
        tenant == null ? new Object[0] : new Object[] {tenant},
        rs ->
            acc(pipelines, rs.getString("pipeline"))
                .failures
                .merge(rs.getString("stage"), rs.getLong("n"), Long::sum));
    each(
        c,
        "SELECT operation AS pipeline, count(*) AS n FROM runs"
            + " WHERE status = 'succeeded' AND started_at >= ? AND kind = 'pipeline'"
            + byTenant
            + " GROUP BY operation",
        tenant == null
            ? new Object[] {now.minus(recent)}
            : new Object[] {now.minus(recent), tenant},
        rs -> {
          Acc acc = pipelines.get(rs.getString("pipeline"));
          if (acc != null) {
            acc.succeeded = rs.getLong("n");
          }
        });
    List<PipelineStats> out = new ArrayList<>();
    pipelines.forEach(
        (name, a) ->
            out.add(
                new PipelineStats(name, a.depth, a.oldestReady, a.failures, a.succeeded, recent)));
    return out;
  }

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private void each(Connection c, String sql, Object[] params, RowHandler handler)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      rows.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }

  private static Acc acc(Map<String, Acc> pipelines, String name) {
    return pipelines.computeIfAbsent(name, n -> new Acc());
  }

  private static final class Acc {
    final Map<QueueState, Long> depth = new EnumMap<>(QueueState.class);
    final Map<String, Long> failures = new HashMap<>();
    Duration oldestReady = Duration.ZERO;
    long succeeded;

    Acc() {
      for (QueueState state : QueueState.values()) {
        depth.put(state, 0L);
      }
    }
  }
}
