package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.util.List;

/**
 * The part of a run's journal one span tree describes: from a {@code RunStarted} (or, for a
 * pipeline run resumed after {@code RunDead}, from the first event after it) to a terminal event.
 *
 * @param entries in sequence order, without duplicates
 * @param started the run's {@code RunStarted}; for a resumed segment the one of the run's first
 *     segment, or null when a resumed run's start is unknown
 * @param resumed true for a pipeline run's segment after a {@code RunDead}
 * @param ready true when the segment ends in a terminal event, its start is known and no entry
 *     before the terminal event is missing
 */
public record RunSegment(
    String runId,
    List<JournalEntry> entries,
    JournalEntry started,
    boolean resumed,
    boolean ready) {

  public RunSegment {
    entries = List.copyOf(entries);
  }

  public int firstSeq() {
    return entries.getFirst().seq();
  }

  public JournalEntry last() {
    return entries.getLast();
  }

  public JournalEvent.RunStarted header() {
    return started == null ? null : (JournalEvent.RunStarted) started.event();
  }

  public boolean pipeline() {
    JournalEvent.RunStarted header = header();
    return header != null ? "pipeline".equals(header.kind()) : runId.startsWith("prun_");
  }

  public static boolean terminal(JournalEvent event) {
    return event instanceof JournalEvent.RunCompleted
        || event instanceof JournalEvent.RunFailed
        || event instanceof JournalEvent.RunDead;
  }
}
