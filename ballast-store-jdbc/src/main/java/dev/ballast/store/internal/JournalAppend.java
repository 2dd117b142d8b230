package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code append}: blobs, events, summary rows and attempt rows ({@link AttemptRows}), each as
 * one JDBC batch inside the caller's transaction. Rows are written in key order so that concurrent
 * appends on PostgreSQL lock rows in the same order and cannot deadlock.
 */
final class JournalAppend {
  private static final ObjectWriter EVENT_WRITER = Json.mapper().writerFor(JournalEvent.class);

  private static final String INSERT_BLOB =
      "INSERT INTO blobs (hash, size, content) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING";

  private static final String UPSERT_RUN =
      """
      INSERT INTO runs (id, tenant, kind, operation, model, status, started_at, ended_at,
                        deployment, response_model, error_class, input_tokens, output_tokens,
                        cost, attempts, status_seq, key_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET
        tenant = COALESCE(excluded.tenant, runs.tenant),
        key_id = COALESCE(excluded.key_id, runs.key_id),
        kind = COALESCE(excluded.kind, runs.kind),
        operation = COALESCE(excluded.operation, runs.operation),
        model = COALESCE(excluded.model, runs.model),
        status = CASE WHEN excluded.status_seq > runs.status_seq
                      THEN excluded.status ELSE runs.status END,
        started_at = CASE WHEN excluded.started_at < runs.started_at
                          THEN excluded.started_at ELSE runs.started_at END,
        ended_at = CASE WHEN excluded.status_seq > runs.status_seq
                        THEN excluded.ended_at ELSE runs.ended_at END,
        deployment = COALESCE(excluded.deployment, runs.deployment),
        response_model = COALESCE(excluded.response_model, runs.response_model),
        error_class = CASE WHEN excluded.status_seq > runs.status_seq
                           THEN excluded.error_class ELSE runs.error_class END,
        input_tokens = CASE WHEN excluded.status_seq > runs.status_seq
                             AND excluded.status = 'succeeded'
                            THEN excluded.input_tokens ELSE runs.input_tokens END,
        output_tokens = CASE WHEN excluded.status_seq > runs.status_seq
                              AND excluded.status = 'succeeded'
                             THEN excluded.output_tokens ELSE runs.output_tokens END,
        cost = CASE WHEN excluded.status_seq > runs.status_seq AND excluded.status = 'succeeded'
                    THEN excluded.cost ELSE runs.cost END,
        attempts = runs.attempts + excluded.attempts,
        status_seq = CASE WHEN excluded.status_seq > runs.status_seq
                          THEN excluded.status_seq ELSE runs.status_seq END
      """;

  private final Dialect dialect;
  private final Connection connection;

  JournalAppend(Dialect dialect, Connection connection) {
    this.dialect = dialect;
    this.connection = connection;
  }

  void run(List<JournalEntry> entries, Map<String, byte[]> blobs) throws SQLException {
    insertBlobs(new TreeMap<>(blobs));
    List<JournalEntry> sorted =
        entries.stream()
            .sorted(Comparator.comparing(JournalEntry::runId).thenComparingInt(JournalEntry::seq))
            .toList();
    int[] inserted = insertEvents(sorted);
    upsertRuns(summarize(sorted, inserted));
    AttemptRows attempts = new AttemptRows(dialect, connection);
    for (int i = 0; i < sorted.size(); i++) {
      if (inserted[i] == 1) {
        attempts.add(sorted.get(i));
      }
    }
    attempts.write();
  }

  private void insertBlobs(TreeMap<String, byte[]> blobs) throws SQLException {
    if (blobs.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(INSERT_BLOB)) {
      for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
        ps.setString(1, blob.getKey());
        ps.setLong(2, blob.getValue().length);
        ps.setBytes(3, blob.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Returns, per entry, whether its row was new: only new events may change the summary. */
  private int[] insertEvents(List<JournalEntry> entries) throws SQLException {
    String sql =
        "INSERT INTO journal_events (run_id, seq, at, type, body) VALUES (?, ?, ?, ?, "
            + dialect.jsonParameter()
            + ") ON CONFLICT (run_id, seq) DO NOTHING";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (JournalEntry entry : entries) {
        ps.setString(1, entry.runId());
        ps.setInt(2, entry.seq());
        dialect.setInstant(ps, 3, entry.at());
        ps.setString(4, entry.event().typeName());
        ps.setString(5, toJson(entry.event()));
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }

  private static Map<String, RunDelta> summarize(List<JournalEntry> entries, int[] inserted)
      throws SQLException {
    Map<String, RunDelta> deltas = new TreeMap<>();
    for (int i = 0; i < entries.size(); i++) {
      if (inserted[i] == 1) {
        JournalEntry entry = entries.get(i);
        deltas.computeIfAbsent(entry.runId(), RunDelta::new).apply(entry);
      } else if (inserted[i] != 0) {
        // Without a row count a duplicate could not be told apart and would count twice.
        throw new SQLException("driver reported no row count for an event insert: " + inserted[i]);
      }
    }
    return deltas;
  }

  private void upsertRuns(Map<String, RunDelta> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(UPSERT_RUN)) {
      for (RunDelta delta : deltas.values()) {
        bind(ps, delta);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void bind(PreparedStatement ps, RunDelta d) throws SQLException {
    ps.setString(1, d.runId);
    ps.setString(2, d.tenant);
    ps.setString(3, d.kind);
    ps.setString(4, d.operation);
    ps.setString(5, d.model);
    ps.setString(6, d.status.wireName());
    dialect.setInstant(ps, 7, d.startedAt);
    dialect.setInstant(ps, 8, d.endedAt);
    ps.setString(9, d.deployment);
    ps.setString(10, d.responseModel);
    ps.setString(11, d.errorClass);
    ps.setInt(12, d.inputTokens);
    ps.setInt(13, d.outputTokens);
    ps.setDouble(14, d.cost);
    ps.setInt(15, d.attempts);
    ps.setInt(16, d.statusSeq);
    ps.setString(17, d.keyId);
  }

  private static String toJson(JournalEvent event) throws SQLException {
    try {
      return EVENT_WRITER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new SQLException("journal event could not be serialized: " + event.typeName(), e);
    }
  }
}
