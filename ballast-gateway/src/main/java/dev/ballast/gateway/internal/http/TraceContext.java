package dev.ballast.gateway.internal.http;

import dev.ballast.calls.RunRecorder;
import dev.ballast.telemetry.JournalSpans;
import dev.ballast.telemetry.JournalTracer;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Locale;
import java.util.Optional;

/**
 * W3C trace context on the API. A run's spans are derived from its journal after it ends, so the
 * caller's {@code traceparent} is handed to the tracer before the run can end, and the response
 * names the run's span in the caller's trace (or in a trace of its own) with a {@code traceparent}
 * header of its own. {@code tracestate} is not propagated. Thread-safe.
 */
public final class TraceContext {
  static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

  // "00-" + 32 hex digits of trace id + "-" + 16 of span id + "-" + 2 of flags.
  private static final int TRACE_ID_START = 3;
  private static final int TRACE_ID_END = 35;

  private final JournalTracer tracer;

  public TraceContext(JournalTracer tracer) {
    this.tracer = tracer;
  }

  /**
   * Joins run {@code runId} to the request's trace, if it names a valid one, and sets the
   * response's {@code traceparent} to the run's span. Call it before the run can end: a run whose
   * spans were already derived stays in its own trace.
   */
  void join(ServerRequest req, ServerResponse res, String runId) {
    res.header(TRACEPARENT, link(runId, req.headers().first(TRACEPARENT)));
  }

  /**
   * {@link #join(ServerRequest, ServerResponse, String)} for a model call: the run's attempts then
   * send their {@code traceparent} upstream in the same trace.
   */
  void join(ServerRequest req, ServerResponse res, RunRecorder run) {
    String traceparent = link(run.runId(), req.headers().first(TRACEPARENT));
    res.header(TRACEPARENT, traceparent);
    run.joinTrace(traceparent);
  }

  /** The traceparent of the run's span, in the caller's trace when {@code incoming} is valid. */
  String link(String runId, Optional<String> incoming) {
    String own = JournalSpans.traceparent(runId);
    if (incoming.isEmpty()) {
      return own;
    }
    String traceparent = incoming.get().strip();
    try {
      tracer.link(runId, traceparent);
    } catch (IllegalArgumentException e) {
      // W3C trace context: a callee that cannot parse traceparent starts a trace of its own.
      return own;
    }
    // Span ids are derived from the run id whatever the trace: only the trace id changes.
    return own.substring(0, TRACE_ID_START)
        + traceparent.substring(TRACE_ID_START, TRACE_ID_END).toLowerCase(Locale.ROOT)
        + own.substring(TRACE_ID_END);
  }

  /**
   * Drops the response's {@code traceparent}: for an answer replayed from an earlier call, whose
   * run joined that call's trace, which this node may not know.
   */
  static void forget(ServerResponse res) {
    res.headers().remove(TRACEPARENT);
  }
}
