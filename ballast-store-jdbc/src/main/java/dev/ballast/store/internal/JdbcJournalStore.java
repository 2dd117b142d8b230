package dev.ballast.store.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journal over JDBC: JdbcJournal's SQL, with its {@link SQLException}s turned into {@link
 * StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcJournalStore implements JournalStore {
  private final JdbcJournal journal;
  private final SqlFailures failures;

  JdbcJournalStore(JdbcJournal journal, SqlFailures failures) {
    this.journal = journal;
    this.failures = failures;
  }

  @Override
  public void append(List<JournalEntry> entries, Map<String, byte[]> blobs) {
    try {
      journal.append(entries, blobs);
    } catch (SQLException e) {
      throw failures.of("append of " + entries.size() + " entries", e);
    }
  }

  @Override
  public List<RunSummary> listRuns(RunQuery query) {
    try {
      return journal.listRuns(query);
    } catch (SQLException e) {
      throw failures.of("listing runs", e);
    }
  }

  @Override
  public Optional<RunSummary> findRun(String runId) {
    try {
      return journal.findRun(runId);
    } catch (SQLException e) {
      throw failures.of("reading run " + runId, e);
    }
  }

  @Override
  public List<JournalEntry> events(String runId) {
    try {
      return journal.events(runId);
    } catch (SQLException e) {
      throw failures.of("reading the journal of run " + runId, e);
    }
  }

  @Override
  public Optional<byte[]> blob(String hash) {
    try {
      return journal.blob(hash);
    } catch (SQLException e) {
      throw failures.of("reading blob " + hash, e);
    }
  }
}
