package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Splits a run's journal into {@link RunSegment}s. A segment ends at a terminal event; the next one
 * begins at a {@code RunStarted} (a pipeline's model call id is journaled again when its stage
 * attempt is repeated after parking) or, for a pipeline run, at the first event after {@code
 * RunDead} (an operator resumed it).
 */
public final class Segments {
  private Segments() {}

  /**
   * @param entries one run's entries in any order; a repeated sequence number keeps its first entry
   * @param priorStart the run's {@code RunStarted} when earlier segments were already derived (they
   *     are not in {@code entries}), else null
   */
  public static List<RunSegment> split(
      String runId, Collection<JournalEntry> entries, JournalEntry priorStart) {
    TreeMap<Integer, JournalEntry> bySeq = new TreeMap<>();
    for (JournalEntry entry : entries) {
      bySeq.putIfAbsent(entry.seq(), entry);
    }
    List<RunSegment> segments = new ArrayList<>();
    List<JournalEntry> current = new ArrayList<>();
    JournalEntry started = priorStart;
    boolean continuation = priorStart != null;
    for (JournalEntry entry : bySeq.values()) {
      if (entry.event() instanceof JournalEvent.RunStarted && !current.isEmpty()) {
        segments.add(segment(runId, current, started, continuation));
        current = new ArrayList<>();
      }
      if (current.isEmpty()) {
        continuation = !(entry.event() instanceof JournalEvent.RunStarted);
        if (!continuation) {
          started = entry;
        }
      }
      current.add(entry);
      if (RunSegment.terminal(entry.event())) {
        segments.add(segment(runId, current, started, continuation));
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      segments.add(segment(runId, current, started, continuation));
    }
    return segments;
  }

  private static RunSegment segment(
      String runId, List<JournalEntry> entries, JournalEntry started, boolean continuation) {
    boolean pipeline = isPipeline(runId, started);
    // A gateway run always begins with its RunStarted; only a pipeline run continues after a
    // terminal event, and only after RunDead.
    boolean resumed = continuation && pipeline;
    boolean hasStart = !continuation || resumed && started != null;
    JournalEntry last = entries.getLast();
    boolean ready = hasStart && RunSegment.terminal(last.event()) && dense(entries, pipeline);
    return new RunSegment(
        runId, entries, continuation && !resumed ? null : started, resumed, ready);
  }

  private static boolean isPipeline(String runId, JournalEntry started) {
    if (started != null) {
      return "pipeline".equals(((JournalEvent.RunStarted) started.event()).kind());
    }
    return runId.startsWith("prun_") && runId.indexOf('/') < 0;
  }

  /**
   * True when no entry is missing before the terminal one. Gateway runs number densely; a pipeline
   * run numbers densely within each lease's block, and only the last lease's block can be checked
   * (an earlier lease may have ended anywhere in its block).
   */
  private static boolean dense(List<JournalEntry> entries, boolean pipeline) {
    int last = entries.getLast().seq();
    int from = pipeline ? last - last % JournalEntry.BLOCK : entries.getFirst().seq();
    long present = entries.stream().filter(e -> e.seq() >= from).count();
    return present == (long) last - from + 1;
  }
}
