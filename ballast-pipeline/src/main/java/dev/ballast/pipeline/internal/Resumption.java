package dev.ballast.pipeline.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.RunQueue;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Resumes a dead run and journals it: the one code path behind every door (the HTTP API through the
 * engine, {@code ballast runs resume} straight on the store). Invariant: a run the queue moved from
 * {@code dead} back to {@code queued} has exactly one {@code RunResumed}, numbered at the end of
 * the dead lease's block, so it opens the run's next segment in traces and spans.
 */
public final class Resumption {
  private Resumption() {}

  /**
   * @param journal where the {@code RunResumed} entry goes: a node's journal writer, or the store
   *     itself for a command without one
   * @return the run as it was when dead, when this call resumed it; empty when it was not dead (or
   *     another resume won the race)
   */
  public static Optional<RunState> resume(
      RunQueue queue, Consumer<JournalEntry> journal, String runId, Instant now) {
    // Read before resuming: only a resume changes a dead run, so this is the dead lease's fence.
    Optional<RunState> dead = queue.find(runId).filter(r -> r.state() == QueueState.DEAD);
    if (dead.isEmpty() || !queue.resume(runId, now)) {
      return Optional.empty();
    }
    RunState run = dead.get();
    String stage = run.failedStage() != null ? run.failedStage() : "stage " + run.stageIndex();
    journal.accept(
        new JournalEntry(
            runId,
            RunJournal.resumeSeq(run.fence()),
            now,
            new JournalEvent.RunResumed(stage, run.stageIndex())));
    return dead;
  }
}
