package dev.ballast.pipeline.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one lease's events to a pipeline run's journal, numbered {@code fence * BLOCK + n} (see
 * {@link JournalEntry}), so that two holders of a run, a zombie and its successor, never write the
 * same sequence number. Thread-safe.
 */
final class RunJournal {
  private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);
  // Keeps fence * BLOCK inside an int; a run claimed this often has been parked for months.
  private static final long MAX_FENCE = Integer.MAX_VALUE / JournalEntry.BLOCK - 1;

  private final JournalWriter writer;
  private final String runId;
  private final Clock clock;
  private final int base;
  private int next;
  private boolean warned;

  RunJournal(JournalWriter writer, String runId, long fence, Clock clock) {
    this.writer = writer;
    this.runId = runId;
    this.clock = clock;
    this.base = (int) Math.min(fence, MAX_FENCE) * JournalEntry.BLOCK;
  }

  /**
   * The sequence number of the {@code RunResumed} that follows a lease that ended with the run
   * dead: the last of that lease's block, which {@link #append} never uses, so the event sorts
   * after everything the dead lease wrote and before the next lease's block.
   */
  static int resumeSeq(long deadFence) {
    return (int) Math.min(deadFence, MAX_FENCE) * JournalEntry.BLOCK + JournalEntry.BLOCK - 1;
  }

  // Synchronized because a stage handler records events from the attempt's thread while the
  // execution thread may journal the attempt's timeout.
  synchronized void append(JournalEvent event) {
    if (writer == null) {
      return;
    }
    if (next >= JournalEntry.BLOCK - 1) {
      if (!warned) {
        warned = true;
        LOG.warn(
            "run {}: more than {} events in one lease; later ones are not journaled",
            runId,
            JournalEntry.BLOCK - 1);
      }
      return;
    }
    writer.submit(new JournalEntry(runId, base + next++, clock.instant(), event));
  }
}
