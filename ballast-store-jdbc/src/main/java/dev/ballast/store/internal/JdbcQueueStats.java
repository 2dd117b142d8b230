package dev.ballast.store.internal;

import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** The queue statistics query: depth per state, the oldest claimable run, expired leases. */
final class JdbcQueueStats {
  private final Dialect dialect;
  private final JdbcQueueRows rows;

  JdbcQueueStats(Dialect dialect, JdbcQueueRows rows) {
    this.dialect = dialect;
    this.rows = rows;
  }

  QueueStats read(Connection c, Instant now) throws SQLException {
    Map<QueueState, Long> depth = new EnumMap<>(QueueState.class);
    for (QueueState state : QueueState.values()) {
      depth.put(state, 0L);
    }
    try (PreparedStatement ps =
            c.prepareStatement("SELECT state, count(*) FROM run_queue GROUP BY state");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        depth.put(QueueState.parse(rs.getString(1)), rs.getLong(2));
      }
    }
    Instant oldest;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT min(available_at) AS oldest FROM run_queue"
                + " WHERE state IN ('queued', 'waiting') AND available_at <= ?")) {
      rows.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        oldest = dialect.instant(rs, "oldest");
      }
    }
    long expired;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM run_queue WHERE state = 'running' AND lease_until < ?")) {
      rows.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        expired = rs.getLong(1);
      }
    }
    Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, now);
    return new QueueStats(depth, age, expired);
  }
}
