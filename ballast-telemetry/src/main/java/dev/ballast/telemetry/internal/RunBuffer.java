package dev.ballast.telemetry.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

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
 *   <li>A run held longer than {@code ttl} since its first entry arrived is expired: dropped like
 *       one beyond the bounds, and counted apart, since it means that the rest of its journal is
 *       written by another node or never will be.
 *   <li>With {@code queuedRunsFromStore}, a queued pipeline run (id {@code prun_…}) is not held at
 *       all: its entries are written by whichever nodes accepted, executed, resumed and took it
 *       over, so no node can count on seeing all of them. Each terminal event this node writes is
 *       handed out as an {@link Ended}, for the tracer to read the run's journal from the store;
 *       exactly one node writes each terminal event (a fenced lease), so exactly one node derives
 *       each segment. Only its stage attempts' leases are remembered, for its model calls.
 * </ul>
 */
public final class RunBuffer {
  private final int maxRuns;
  private final long maxEntries;
  private final boolean keepContent;
  private final boolean queuedRunsFromStore;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<String, RunState> open = new LinkedHashMap<>();
  private final LinkedHashMap<String, RunState> finished;
  private final LinkedHashMap<String, SpanContext> links;
  private final LinkedHashMap<String, Boolean> dropped;
  private final LinkedHashMap<String, Map<String, Long>> queuedRunFences;
  private final LinkedHashMap<String, Boolean> endsSeen;
  private long bufferedEntries;
  private long droppedRuns;
  private long droppedEntries;
  private long duplicates;
  private long expiredRuns;

  /**
   * @param queuedRunsFromStore true when the tracer reads queued pipeline runs from the store
   * @param ttl how long an unfinished run is held at most
   * @param nanoTime a monotonic clock ({@code System::nanoTime}; a test's own)
   */
  public RunBuffer(
      int maxRuns,
      long maxEntries,
      boolean keepContent,
      boolean queuedRunsFromStore,
      Duration ttl,
      LongSupplier nanoTime) {
    this.maxRuns = maxRuns;
    this.maxEntries = maxEntries;
    this.keepContent = keepContent;
    this.queuedRunsFromStore = queuedRunsFromStore;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
    this.finished = lru(2 * maxRuns);
    this.links = lru(maxRuns);
    this.dropped = lru(maxRuns);
    this.queuedRunFences = lru(maxRuns);
    this.endsSeen = lru(2 * maxRuns);
  }

  /** A segment to derive spans from, with where its spans hang. */
  public record Ready(RunSegment segment, Lineage lineage) {}

  /** A queued pipeline run's terminal event, written by this node: its segment is in the store. */
  public record Ended(String runId, int seq) {}

  /** What a batch completed: segments derivable now, and segments to read from the store. */
  public record Added(List<Ready> ready, List<Ended> ended) {}

  public record Counts(
      int bufferedRuns,
      long bufferedEntries,
      long droppedRuns,
      long droppedEntries,
      long duplicates,
      long expiredRuns) {}

  /** Adds a stored batch; returns the segments it completed, in an order safe to export. */
  public Added add(List<JournalEntry> batch) {
    Set<RunState> touched = new LinkedHashSet<>();
    List<Ended> ended = new ArrayList<>();
    for (JournalEntry entry : batch) {
      if (queuedRunsFromStore && isQueuedRun(entry.runId())) {
        note(entry, ended);
        continue;
      }
      RunState state = hold(entry);
      if (state != null && state.terminals > 0) {
        touched.add(state);
      }
    }
    List<Ready> ready = new ArrayList<>();
    for (RunState state : touched) {
      release(state, ready);
    }
    expire();
    evict();
    return new Added(ready, ended);
  }

  /** The lineage of a queued pipeline run's segment read from the store. */
  public Lineage lineageOf(RunSegment segment) {
    return lineage(segment);
  }

  /**
   * True for a run id the run queue gave out ({@code prun_…}, no {@code /}): a run whose journal
   * several nodes may write. A pipeline's model call ({@code prun_…/stage/attempt}) is written by
   * the worker that makes it alone.
   */
  static boolean isQueuedRun(String runId) {
    return runId.startsWith("prun_") && runId.indexOf('/') < 0;
  }

  private void note(JournalEntry entry, List<Ended> ended) {
    if (entry.event() instanceof JournalEvent.StageStarted s) {
      queuedRunFences
          .computeIfAbsent(entry.runId(), id -> new HashMap<>())
          .merge(
              NestedCall.stageKey(s.stage(), s.attempt()),
              (long) entry.seq() / JournalEntry.BLOCK,
              Math::max);
    } else if (RunSegment.terminal(entry.event())) {
      // A terminal event delivered again (the spool after a crash) is derived once.
      if (endsSeen.put(entry.runId() + "#" + entry.seq(), Boolean.TRUE) == null) {
        ended.add(new Ended(entry.runId(), entry.seq()));
      } else {
        duplicates++;
      }
    }
  }

  /** Joins the trace of {@code runId} (and of its model calls) to a caller's span. */
  public void link(String runId, SpanContext remote) {
    links.put(runId, remote);
  }

  public Counts counts() {
    return new Counts(
        open.size(), bufferedEntries, droppedRuns, droppedEntries, duplicates, expiredRuns);
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
      state = known != null ? finished.remove(entry.runId()) : new RunState(entry.runId(), now());
      state.heldSince = now();
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
      String key = NestedCall.stageKey(call.stage(), call.attempt());
      if (pipeline != null) {
        fence = pipeline.stageFences.get(key);
      } else if (queuedRunFences.containsKey(call.pipelineRunId())) {
        fence = queuedRunFences.get(call.pipelineRunId()).get(key);
      }
    }
    return Lineage.of(segment, remote, fence);
  }

  /** Expires runs held longer than the time to live, oldest first. */
  private void expire() {
    long now = now();
    Iterator<RunState> oldest = open.values().iterator();
    while (oldest.hasNext()) {
      RunState state = oldest.next();
      if (now - state.heldSince <= ttlNanos) {
        // Held in insertion order, and a run re-opened from the finished ones goes last.
        break;
      }
      oldest.remove();
      dropped.put(state.runId, Boolean.TRUE);
      expiredRuns++;
      droppedEntries += state.pending.size();
      bufferedEntries -= state.pending.size();
    }
  }

  private long now() {
    return nanoTime.getAsLong();
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
    long heldSince;

    RunState(String runId, long heldSince) {
      this.runId = runId;
      this.heldSince = heldSince;
    }
  }
}
