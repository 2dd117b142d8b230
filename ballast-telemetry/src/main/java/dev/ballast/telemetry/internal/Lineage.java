package dev.ballast.telemetry.internal;

import io.opentelemetry.api.trace.SpanContext;

/**
 * Where a segment's spans hang: the trace they belong to and the parent of the segment's run span
 * (null for a root span).
 */
public record Lineage(String traceId, SpanContext parent) {

  /**
   * @param remote the caller's context for the run the trace belongs to (from a W3C traceparent),
   *     or null for a trace id derived from the run id
   * @param stageFence for a pipeline's model call, the fence of the lease whose stage attempt made
   *     the call, when known; without it the call hangs under the pipeline run's span
   */
  public static Lineage of(RunSegment segment, SpanContext remote, Long stageFence) {
    String runId = segment.runId();
    String traceId = remote != null ? remote.getTraceId() : SpanIds.traceId(runId);
    if (segment.resumed()) {
      String first = SpanIds.runSpanId(runId, segment.started().seq());
      return new Lineage(traceId, SpanIds.sampled(traceId, first));
    }
    NestedCall call = NestedCall.parse(runId);
    if (call != null) {
      String parent =
          stageFence == null
              ? SpanIds.runSpanId(call.pipelineRunId(), 0)
              : SpanIds.stageSpanId(call.pipelineRunId(), call.stage(), call.attempt(), stageFence);
      return new Lineage(traceId, SpanIds.sampled(traceId, parent));
    }
    return new Lineage(traceId, remote);
  }
}
