package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import io.opentelemetry.api.trace.SpanContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Holds the entries of unfinished runs until a segment of them is ready to become spans, in bounded
 * memory. Not thread-safe: the tracer calls it under its lock.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>A run's entries are held until a segment ends (a terminal event with nothing missing before
 *       it); the segment is then handed out and its entries released.
 *   <li>After a segment was handed out, the run is remembered (its {@code RunStarted}, the highest
 *       sequence number handed out, its stage attempts' leases) among recently finished runs, so
 *       that a redelivered entry is ignored, a pipeline run resumed after {@code RunDead} continues
 *       with its name, and a model call finds the stage attempt that made it.
 *   <li>At most {@code maxRuns} unfinished runs and {@code maxEntries} entries are held; beyond
 *       either, the oldest unfinished run is dropped and counted, and its later entries are ignored
 *       (and counted) up to its terminal event.
 * </ul>
 */
public final class RunBuffer {
  private final int maxRuns;
  private final long maxEntries;
  private final boolean keepContent;
  private final LinkedHashMap<String, RunState> open = new LinkedHashMap<>();
  private final LinkedHashMap<String, RunState> finished;
  private final LinkedHashMap<String, SpanContext> links;
  private final LinkedHashMap<String, Boolean> dropped;
  private long bufferedEntries;
  private long droppedRuns;
  private long droppedEntries;
  private long duplicates;

  public RunBuffer(int maxRuns, long maxEntries, boolean keepContent) {
    this.maxRuns = maxRuns;
    this.maxEntries = maxEntries;
    this.keepContent = keepContent;
    this.finished = lru(2 * maxRuns);
    this.links = lru(maxRuns);
    this.dropped = lru(maxRuns);
  }

  /** A segment to derive spans from, with where its spans hang. */
  public record Ready(RunSegment segment, Lineage lineage) {}

  public record Counts(
      int bufferedRuns,
      long bufferedEntries,
      long droppedRuns,
      long droppedEntries,
      long duplicates) {}

  /** Adds a stored batch; returns the segments it completed, in an order safe to export. */
  public List<Ready> add(List<JournalEntry> batch) {
    Set<RunState> touched = new LinkedHashSet<>();
    for (JournalEntry entry : batch) {
      RunState state = hold(entry);
      if (state != null && state.terminals > 0) {
        touched.add(state);
      }
    }
    List<Ready> ready = new ArrayList<>();
    for (RunState state : touched) {
      release(state, ready);
    }
    evict();
    return ready;
  }

  /** Joins the trace of {@code runId} (and of its model calls) to a caller's span. */
  public void link(String runId, SpanContext remote) {
    links.put(runId, remote);
  }

  public Counts counts() {
    return new Counts(open.size(), bufferedEntries, droppedRuns, droppedEntries, duplicates);
  }

  private RunState hold(JournalEntry entry) {
    if (entry.event() instanceof JournalEvent.AlertChanged) {
      // Watch's alert journals are not calls: no spans, and held here they would never end.
      return null;
    }
    if (stillDropped(entry)) {
      droppedEntries++;
      return null;
    }
    RunState state = open.get(entry.runId());
    if (state == null) {
      RunState known = finished.get(entry.runId());
      if (known != null && entry.seq() <= known.emittedThrough) {
        duplicates++;
        return null;
      }
      state = known != null ? finished.remove(entry.runId()) : new RunState(entry.runId());
      open.put(entry.runId(), state);
    } else if (entry.seq() <= state.emittedThrough) {
      duplicates++;
      return null;
    }
    JournalEntry kept = keepContent ? entry : Entries.withoutContent(entry);
    if (state.pending.putIfAbsent(entry.seq(), kept) != null) {
      duplicates++;
      return state;
    }
    bufferedEntries++;
    if (RunSegment.terminal(entry.event())) {
      state.terminals++;
    }
    if (entry.event() instanceof JournalEvent.StageStarted s) {
      state.stageFences.merge(
          NestedCall.stageKey(s.stage(), s.attempt()),
          (long) entry.seq() / JournalEntry.BLOCK,
          Math::max);
    }
    return state;
  }

  private void release(RunState state, List<Ready> ready) {
    List<RunSegment> segments = Segments.split(state.runId, state.pending.values(), state.started);
    for (RunSegment segment : segments) {
      if (!segment.ready()) {
        break;
      }
      ready.add(new Ready(segment, lineage(segment)));
      for (JournalEntry entry : segment.entries()) {
        state.pending.remove(entry.seq());
      }
      bufferedEntries -= segment.entries().size();
      state.terminals--;
      state.emittedThrough = segment.last().seq();
      // Remembered for a resumed segment's name and pins; its content is never needed again.
      state.started = segment.started() == null ? null : Entries.withoutContent(segment.started());
    }
    if (state.pending.isEmpty()) {
      open.remove(state.runId);
      finished.put(state.runId, state);
    }
  }

  /**
   * True for a later entry of a run that was dropped: on its own it would only make an incomplete
   * run that pushes out another. A new {@code RunStarted} begins afresh; a terminal event ends the
   * drop (its run is over).
   */
  private boolean stillDropped(JournalEntry entry) {
    if (!dropped.containsKey(entry.runId())) {
      return false;
    }
    if (entry.event() instanceof JournalEvent.RunStarted) {
      dropped.remove(entry.runId());
      return false;
    }
    if (RunSegment.terminal(entry.event())) {
      dropped.remove(entry.runId());
    }
    return true;
  }

  private Lineage lineage(RunSegment segment) {
    SpanContext remote = links.get(SpanIds.traceRoot(segment.runId()));
    NestedCall call = NestedCall.parse(segment.runId());
    Long fence = call == null ? null : call.fence();
    if (call != null && fence == null) {
      RunState pipeline = open.get(call.pipelineRunId());
      if (pipeline == null) {
        pipeline = finished.get(call.pipelineRunId());
      }
      if (pipeline != null) {
        fence = pipeline.stageFences.get(NestedCall.stageKey(call.stage(), call.attempt()));
      }
    }
    return Lineage.of(segment, remote, fence);
  }

  private void evict() {
    Iterator<RunState> oldest = open.values().iterator();
    while ((open.size() > maxRuns || bufferedEntries > maxEntries) && oldest.hasNext()) {
      RunState state = oldest.next();
      oldest.remove();
      dropped.put(state.runId, Boolean.TRUE);
      droppedRuns++;
      droppedEntries += state.pending.size();
      bufferedEntries -= state.pending.size();
    }
  }

  private static <V> LinkedHashMap<String, V> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** What the buffer knows of one run. */
  private static final class RunState {
    final String runId;
    final TreeMap<Integer, JournalEntry> pending = new TreeMap<>();
    final Map<String, Long> stageFences = new HashMap<>();
    JournalEntry started;
    int emittedThrough = -1;
    int terminals;

    RunState(String runId) {
      this.runId = runId;
    }
  }
}
