package dev.ballast.store.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code provider_attempts} in step with the journal inside one append's transaction: one row
 * per newly inserted {@code ProviderAttempt} event, so a batch delivered twice adds nothing.
 *
 * <p>Invariant: after every append, each stored {@code ProviderAttempt} event has exactly one
 * attempt row, and an attempt row's tenant and model are those of its run's {@code RunStarted} as
 * soon as that event is stored, whatever order the two arrived in. The rows are inserted after the
 * run summaries, so they copy tenant, model and key from the run's row (set by this batch or an
 * earlier one); a {@code RunStarted} fills them into rows that an earlier batch inserted without
 * them.
 */
final class AttemptRows {
  // The WHERE tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to the join.
  private static final String INSERT =
      """
      INSERT INTO provider_attempts (run_id, seq, at, tenant, model, key_id, deployment, outcome,
                                     latency_ms, ttft_ms, input_tokens, output_tokens, cost)
      SELECT ?, ?, ?, r.tenant, r.model, r.key_id, ?, ?, ?, ?, ?, ?, ?
      FROM (SELECT 1 AS one) AS single LEFT JOIN runs r ON r.id = ?
      WHERE true
      ON CONFLICT (run_id, seq) DO NOTHING
      """;

  private static final String FILL_RUN =
      "UPDATE provider_attempts SET tenant = ?, model = ?, key_id = ?"
          + " WHERE run_id = ? AND tenant IS NULL";

  private final Dialect dialect;
  private final Connection connection;
  private final List<JournalEntry> attempts = new ArrayList<>();
  private final List<JournalEntry> starts = new ArrayList<>();

  AttemptRows(Dialect dialect, Connection connection) {
    this.dialect = dialect;
    this.connection = connection;
  }

  /** Notes an entry whose journal row was newly inserted. */
  void add(JournalEntry entry) {
    switch (entry.event()) {
      case ProviderAttempt ignored -> attempts.add(entry);
      case RunStarted ignored -> starts.add(entry);
      default -> {}
    }
  }

  /** Writes the noted rows; call after the run summaries are up to date. */
  void write() throws SQLException {
    insertAttempts();
    fillRuns();
  }

  private void insertAttempts() throws SQLException {
    if (attempts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      for (JournalEntry entry : attempts) {
        ProviderAttempt a = (ProviderAttempt) entry.event();
        Usage usage = a.usage() == null ? Usage.ZERO : a.usage();
        ps.setString(1, entry.runId());
        ps.setInt(2, entry.seq());
        dialect.setInstant(ps, 3, entry.at());
        ps.setString(4, a.deployment() == null ? "" : a.deployment());
        ps.setString(5, a.outcome() == null ? "unknown" : a.outcome());
        ps.setDouble(6, a.latencyMs());
        if (a.ttftMs() == null) {
          ps.setNull(7, java.sql.Types.DOUBLE);
        } else {
          ps.setDouble(7, a.ttftMs());
        }
        ps.setInt(8, usage.inputTokens());
        ps.setInt(9, usage.outputTokens());
        ps.setDouble(10, a.cost());
        ps.setString(11, entry.runId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Gives the run's tenant and model to its attempts stored before its {@code RunStarted}. An index
   * probe per started run that finds nothing in the usual order of arrival.
   */
  private void fillRuns() throws SQLException {
    if (starts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(FILL_RUN)) {
      for (JournalEntry entry : starts) {
        RunStarted started = (RunStarted) entry.event();
        ps.setString(1, started.tenant());
        ps.setString(2, started.model());
        ps.setString(3, started.keyId());
        ps.setString(4, entry.runId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
