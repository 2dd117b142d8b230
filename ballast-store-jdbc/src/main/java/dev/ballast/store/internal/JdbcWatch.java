package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.ballast.core.Json;
import dev.ballast.core.spi.WatchStore.Opened;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watch's rows over JDBC. Opening an alert is one insert that the partial unique index {@code
 * watch_alerts_one_open} arbitrates: of two nodes racing, one row is written and both read it back.
 * Updates and resolutions touch only an open row and count its journal sequence up in the same
 * statement, so two nodes never journal the same sequence number for different transitions.
 */
final class JdbcWatch {
  private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};
  private static final TypeReference<List<AlertRecord.DiffRow>> DIFF = new TypeReference<>() {};

  private static final String UPSERT_MINUTE =
      """
      INSERT INTO watch_minutes (minute, series, signal, node, n, total, total_sq, histogram)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (minute, series, signal, node) DO UPDATE SET
        n = excluded.n, total = excluded.total, total_sq = excluded.total_sq,
        histogram = excluded.histogram
      """;

  private static final String COLUMNS =
      "id, series, signal, kind, state, severity, title, opened_at, updated_at, resolved_at,"
          + " onset_at, baseline_value, current_value, unit, samples, last_good_run,"
          + " first_bad_run, details, diff, seq";

  private final Dialect dialect;
  private final Connections connections;

  JdbcWatch(Dialect dialect, Connections connections) {
    this.dialect = dialect;
    this.connections = connections;
  }

  void saveMinutes(List<MinuteAggregate> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    // Key order, so that two nodes' batches lock rows in the same order on PostgreSQL.
    List<MinuteAggregate> sorted =
        rows.stream()
            .sorted(
                Comparator.comparingLong(MinuteAggregate::minute)
                    .thenComparing(MinuteAggregate::series)
                    .thenComparing(MinuteAggregate::signal)
                    .thenComparing(MinuteAggregate::node))
            .toList();
    connections.write(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(UPSERT_MINUTE)) {
            for (MinuteAggregate m : sorted) {
              ps.setLong(1, m.minute());
              ps.setString(2, m.series());
              ps.setString(3, m.signal());
              ps.setString(4, m.node());
              ps.setLong(5, m.count());
              ps.setDouble(6, m.sum());
              ps.setDouble(7, m.sumSquares());
              ps.setString(8, m.histogram());
              ps.addBatch();
            }
            return ps.executeBatch();
          }
        });
  }

  List<MinuteAggregate> minutes(long from, long until) throws SQLException {
    return connections.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT minute, series, signal, node, n, total, total_sq, histogram"
                      + " FROM watch_minutes WHERE minute >= ? AND minute < ?")) {
            ps.setLong(1, from);
            ps.setLong(2, until);
            List<MinuteAggregate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new MinuteAggregate(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getString(8)));
              }
            }
            return out;
          }
        });
  }

  int pruneMinutes(long before) throws SQLException {
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM watch_minutes WHERE minute < ?")) {
            ps.setLong(1, before);
            return ps.executeUpdate();
          }
        });
  }

  Opened open(AlertRecord a) throws SQLException {
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO watch_alerts ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, a.id());
            ps.setString(2, a.series());
            ps.setString(3, a.signal());
            ps.setString(4, a.kind());
            ps.setString(5, AlertState.OPEN.wireName());
            ps.setString(6, a.severity());
            ps.setString(7, a.title());
            dialect.setInstant(ps, 8, a.openedAt());
            dialect.setInstant(ps, 9, a.updatedAt());
            dialect.setInstant(ps, 10, null);
            dialect.setInstant(ps, 11, a.onsetAt());
            setDouble(ps, 12, a.baseline());
            setDouble(ps, 13, a.current());
            ps.setString(14, a.unit());
            ps.setLong(15, a.samples());
            ps.setString(16, a.lastGoodRun());
            ps.setString(17, a.firstBadRun());
            ps.setString(18, json(a.details()));
            ps.setString(19, json(a.diff()));
            ps.setInt(20, 0);
            ps.executeUpdate();
          }
          AlertRecord open =
              selectOne(
                      c,
                      "SELECT "
                          + COLUMNS
                          + " FROM watch_alerts WHERE series = ? AND signal = ?"
                          + " AND state = 'open'",
                      a.series(),
                      a.signal())
                  .orElseThrow(() -> new SQLException("no open alert after insert: " + a.id()));
          return new Opened(open, open.id().equals(a.id()));
        });
  }

  Optional<AlertRecord> update(AlertRecord a, Instant at) throws SQLException {
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE watch_alerts SET severity = ?, title = ?, current_value = ?,"
                      + " samples = ?, details = ?, updated_at = ?, seq = seq + 1"
                      + " WHERE id = ? AND state = 'open'")) {
            ps.setString(1, a.severity());
            ps.setString(2, a.title());
            setDouble(ps, 3, a.current());
            ps.setLong(4, a.samples());
            ps.setString(5, json(a.details()));
            dialect.setInstant(ps, 6, at);
            ps.setString(7, a.id());
            if (ps.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          return byId(c, a.id());
        });
  }

  Optional<AlertRecord> resolve(String id, Instant at, Double current, long samples)
      throws SQLException {
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE watch_alerts SET state = 'resolved', resolved_at = ?, updated_at = ?,"
                      + " current_value = COALESCE(?, current_value), samples = ?, seq = seq + 1"
                      + " WHERE id = ? AND state = 'open'")) {
            dialect.setInstant(ps, 1, at);
            dialect.setInstant(ps, 2, at);
            setDouble(ps, 3, current);
            ps.setLong(4, samples);
            ps.setString(5, id);
            if (ps.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          return byId(c, id);
        });
  }

  Optional<AlertRecord> alert(String id) throws SQLException {
    return connections.read(c -> byId(c, id));
  }

  List<AlertRecord> alerts(AlertState state, int limit) throws SQLException {
    return connections.read(
        c -> {
          String sql =
              "SELECT "
                  + COLUMNS
                  + " FROM watch_alerts"
                  + (state == null ? "" : " WHERE state = ?")
                  + " ORDER BY opened_at DESC, id DESC LIMIT ?";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (state != null) {
              ps.setString(i++, state.wireName());
            }
            ps.setInt(i, limit);
            return rows(ps);
          }
        });
  }

  private Optional<AlertRecord> byId(Connection c, String id) throws SQLException {
    return selectOne(c, "SELECT " + COLUMNS + " FROM watch_alerts WHERE id = ?", id);
  }

  private Optional<AlertRecord> selectOne(Connection c, String sql, String... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      List<AlertRecord> found = rows(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }
  }

  private List<AlertRecord> rows(PreparedStatement ps) throws SQLException {
    List<AlertRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new AlertRecord(
                rs.getString("id"),
                rs.getString("series"),
                rs.getString("signal"),
                rs.getString("kind"),
                AlertState.of(rs.getString("state")).orElse(AlertState.OPEN),
                rs.getString("severity"),
                rs.getString("title"),
                dialect.instant(rs, "opened_at"),
                dialect.instant(rs, "updated_at"),
                dialect.instant(rs, "resolved_at"),
                dialect.instant(rs, "onset_at"),
                getDouble(rs, "baseline_value"),
                getDouble(rs, "current_value"),
                rs.getString("unit"),
                rs.getLong("samples"),
                rs.getString("last_good_run"),
                rs.getString("first_bad_run"),
                parse(rs.getString("details"), DETAILS),
                parse(rs.getString("diff"), DIFF),
                rs.getInt("seq")));
      }
    }
    return out;
  }

  private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null || value.isNaN() || value.isInfinite()) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  private static Double getDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static String json(Object value) throws SQLException {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("alert field could not be serialized", e);
    }
  }

  private static <T> T parse(String text, TypeReference<T> type) throws SQLException {
    try {
      return Json.mapper().readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("alert field could not be read", e);
    }
  }
}
