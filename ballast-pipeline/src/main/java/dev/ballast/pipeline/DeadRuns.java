package dev.ballast.pipeline;

import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.pipeline.internal.Resumption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resuming dead runs where no engine runs, e.g. {@code ballast runs resume}: the same operation as
 * {@link PipelineEngine#resume}, journaled the same way, with the entry written straight to the
 * store instead of through a node's journal writer.
 */
public final class DeadRuns {
  private DeadRuns() {}

  /**
   * Moves a dead run back to {@code queued} at its failed stage and journals {@code RunResumed}.
   *
   * @return the run as it was when dead, when this call resumed it; empty when it was not dead (or
   *     a concurrent resume won)
   */
  public static Optional<RunState> resume(
      RunQueue queue, JournalStore journal, String runId, Instant now) {
    return Resumption.resume(queue, e -> journal.append(List.of(e), Map.of()), runId, now);
  }
}
