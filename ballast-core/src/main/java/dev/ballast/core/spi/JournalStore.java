package dev.ballast.core.spi;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where journals live: the journal capability of a {@link Store}. Every backend passes the store
 * compatibility kit in {@code ballast-testkit}.
 *
 * <p>Invariants every implementation keeps:
 *
 * <ul>
 *   <li>{@link #append} is atomic: all entries and blobs of a call are written, or none.
 *   <li>Appending an entry whose {@code (runId, seq)} already exists is a no-op, and a blob whose
 *       hash exists is not written again: a batch may be delivered twice (spool drained after a
 *       crash) without effect.
 *   <li>The run summary is derived order-independently: a {@code RunCompleted} appended before its
 *       {@code RunStarted} (one went through the spool) yields the same summary.
 *   <li>{@link #events} returns a run's entries ordered by {@code seq}.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface JournalStore {

  /**
   * Writes entries and the payload blobs they reference in one transaction.
   *
   * @param blobs content by SHA-256 hex hash
   */
  void append(List<JournalEntry> entries, Map<String, byte[]> blobs);

  /** Runs matching the query, newest first. */
  List<RunSummary> listRuns(RunQuery query);

  Optional<RunSummary> findRun(String runId);

  /** The run's journal ordered by sequence number; empty when the run is unknown. */
  List<JournalEntry> events(String runId);

  Optional<byte[]> blob(String hash);
}
