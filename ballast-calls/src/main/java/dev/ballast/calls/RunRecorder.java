package dev.ballast.calls;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.RunIds;
import dev.ballast.core.journal.TraceIds;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Appends one run's events with dense sequence numbers. Not thread-safe: a run is recorded by the
 * thread that serves it.
 */
public final class RunRecorder {
  private final Consumer<JournalEntry> writer;
  private final Clock clock;
  private final String runId;
  private final int firstSeq;
  private String traceId;
  private String keyId;
  private int seq;

  public RunRecorder(JournalWriter writer, Clock clock, String runId) {
    this(writer, clock, runId, 0);
  }

  /**
   * A recorder whose first event gets {@code firstSeq}: for a run id that may already have events
   * (the store keeps the first event of a sequence number and ignores a later one).
   */
  public RunRecorder(JournalWriter writer, Clock clock, String runId, int firstSeq) {
    this(writer::submit, clock, runId, firstSeq);
  }

  /** A recorder that hands its entries to {@code sink}: a replay collects them to compare. */
  public RunRecorder(Consumer<JournalEntry> sink, Clock clock, String runId, int firstSeq) {
    this.writer = sink;
    this.clock = clock;
    this.runId = runId;
    this.firstSeq = firstSeq;
    this.seq = firstSeq;
  }

  public String runId() {
    return runId;
  }

  /**
   * Places the run in the trace of the span its caller named in {@code traceparent} (as the HTTP
   * edge answered it): the attempts' {@code traceparent}s sent upstream then carry that trace id.
   * Without it the run is in a trace of its own, derived from its id.
   */
  public void joinTrace(String traceparent) {
    this.traceId = traceparent.substring(3, 35);
  }

  /**
   * The W3C {@code traceparent} an upstream is sent for attempt number {@code attempt}: the
   * attempt's span (as telemetry derives it from the journal later) in the run's trace.
   */
  public String attemptTraceparent(int attempt) {
    String trace = traceId != null ? traceId : TraceIds.traceId(runId);
    return TraceIds.traceparent(trace, TraceIds.attemptSpanId(runId, firstSeq, attempt));
  }

  /** Names the managed key that made the call, journaled with the run's start. */
  public void madeByKey(String keyId) {
    this.keyId = keyId;
  }

  /** The managed key that made the call, or null. */
  public String keyId() {
    return keyId;
  }

  public void record(JournalEvent event) {
    writer.accept(new JournalEntry(runId, seq++, clock.instant(), event));
  }

  /** A run id that sorts by creation time: 12 hex digits of milliseconds, then 10 random ones. */
  public static String newRunId(Clock clock) {
    return RunIds.next("run_", clock);
  }
}
