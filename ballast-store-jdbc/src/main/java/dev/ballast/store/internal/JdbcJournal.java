package dev.ballast.store.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journal's tables: events, content-addressed blobs and the per-run summary rows that {@link
 * JournalAppend} keeps in step with the events. Thread-safe.
 */
final class JdbcJournal {
  private static final ObjectReader EVENT_READER = Json.mapper().readerFor(JournalEvent.class);

  private final Dialect dialect;
  private final Connections connections;

  JdbcJournal(Dialect dialect, Connections connections) {
    this.dialect = dialect;
    this.connections = connections;
  }

  void append(List<JournalEntry> entries, Map<String, byte[]> blobs) throws SQLException {
    if (entries.isEmpty() && blobs.isEmpty()) {
      return;
    }
    connections.write(
        c -> {
          new JournalAppend(dialect, c).run(entries, blobs);
          return null;
        });
  }

  List<RunSummary> listRuns(RunQuery query) throws SQLException {
    RunQuerySql sql = new RunQuerySql(dialect, query);
    return read(
        sql.sql(),
        sql::bind,
        rs -> {
          List<RunSummary> runs = new ArrayList<>();
          while (rs.next()) {
            runs.add(summary(rs));
          }
          return runs;
        });
  }

  Optional<RunSummary> findRun(String runId) throws SQLException {
    return read(
        "SELECT * FROM runs WHERE id = ?",
        ps -> ps.setString(1, runId),
        rs -> rs.next() ? Optional.of(summary(rs)) : Optional.empty());
  }

  List<JournalEntry> events(String runId) throws SQLException {
    return read(
        "SELECT seq, at, body FROM journal_events WHERE run_id = ? ORDER BY seq",
        ps -> ps.setString(1, runId),
        rs -> {
          List<JournalEntry> entries = new ArrayList<>();
          while (rs.next()) {
            JournalEvent event = event(rs.getString("body"));
            entries.add(
                new JournalEntry(runId, rs.getInt("seq"), dialect.instant(rs, "at"), event));
          }
          return entries;
        });
  }

  Optional<byte[]> blob(String hash) throws SQLException {
    return read(
        "SELECT content FROM blobs WHERE hash = ?",
        ps -> ps.setString(1, hash),
        rs -> rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty());
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> T read(String sql, Binder binder, Mapper<T> mapper) throws SQLException {
    return connections.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              return mapper.map(rs);
            }
          }
        });
  }

  private RunSummary summary(ResultSet rs) throws SQLException {
    return new RunSummary(
        rs.getString("id"),
        rs.getString("tenant"),
        rs.getString("kind"),
        rs.getString("operation"),
        rs.getString("model"),
        RunStatus.parse(rs.getString("status")),
        dialect.instant(rs, "started_at"),
        dialect.instant(rs, "ended_at"),
        rs.getString("deployment"),
        rs.getString("response_model"),
        rs.getString("error_class"),
        rs.getInt("input_tokens"),
        rs.getInt("output_tokens"),
        rs.getDouble("cost"),
        rs.getInt("attempts"));
  }

  private static JournalEvent event(String json) throws SQLException {
    try {
      return EVENT_READER.readValue(json);
    } catch (IOException e) {
      throw new SQLException("stored journal event could not be read: " + e.getMessage(), e);
    }
  }
}
