package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.telemetry.internal.Lineage;
import dev.ballast.telemetry.internal.NestedCall;
import dev.ballast.telemetry.internal.RunSegment;
import dev.ballast.telemetry.internal.Segments;
import dev.ballast.telemetry.internal.SpanIds;
import dev.ballast.telemetry.internal.SpanOrigin;
import dev.ballast.telemetry.internal.Spans;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns journal entries into OpenTelemetry spans that follow the GenAI semantic conventions, with
 * {@code ballast.*} attributes for what they lack. Spans are derived, never recorded live: their
 * times come from the journal, so deriving them minutes later (or from the store, after a restart)
 * gives the same spans.
 *
 * <ul>
 *   <li>A gateway run is a span {@code chat {model group}} (or {@code embeddings {model group}}),
 *       kind {@code SERVER}, with one {@code CLIENT} child per provider attempt, named {@code chat
 *       {upstream model}}, carrying {@code gen_ai.*} request, response and usage attributes, {@code
 *       error.type} when the attempt failed, and the deployment, cost, breaker state and retry
 *       decision. Breaker transitions are events on the run span.
 *   <li>A pipeline run is a span {@code invoke_workflow {pipeline}} with one child {@code stage
 *       {name}} per stage attempt; recorded effects are events on their stage span. A run resumed
 *       after {@code RunDead} continues in a second {@code invoke_workflow} span, child of the
 *       first.
 *   <li>A pipeline's model call (run id {@code pipelineRunId/stage/attempt}) is a gateway run whose
 *       span is a child of the stage attempt that made it ({@code INTERNAL}, since it runs in
 *       process). When the stage attempt's lease is unknown, it hangs under the pipeline run span.
 * </ul>
 *
 * <p>Ids are derived from run ids by hashing: the trace id from the run (a model call shares its
 * pipeline run's trace), span ids from the run, sequence numbers, stages and leases. Deriving twice
 * gives the same ids, so a backend sees a redelivery as the same spans. When the caller supplies a
 * W3C {@code traceparent}, the run joins that trace instead, as a child of the caller's span.
 *
 * <p>Only segments that have ended (a terminal event, no entry missing before it) yield spans.
 * Content (prompts, answers, stage outputs) is left out unless {@link
 * TelemetryConfig#captureContent()} is on. Immutable and thread-safe.
 */
public final class JournalSpans {
  private final SpanOrigin origin;

  private JournalSpans(SpanOrigin origin) {
    this.origin = origin;
  }

  /** Uses {@code config}'s service name and content capture. */
  public static JournalSpans create(TelemetryConfig config, ProviderCatalog providers) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(providers, "providers");
    return new JournalSpans(
        SpanOrigin.of(config.serviceName(), config.captureContent(), providers));
  }

  /** Default settings: service {@code ballast}, no content, an empty provider catalog. */
  public static JournalSpans create() {
    return create(TelemetryConfig.defaults(), ProviderCatalog.empty());
  }

  /**
   * The spans of the runs whose entries are given, in any order: one run, or a pipeline run
   * together with its model calls (whose stage parents are then exact).
   */
  public List<SpanData> derive(Collection<JournalEntry> entries) {
    return derive(entries, null);
  }

  /**
   * Like {@link #derive(Collection)}, with the trace joined to the caller's.
   *
   * @param traceparent the W3C traceparent of the caller of the trace's root run, or null
   * @throws IllegalArgumentException when {@code traceparent} is not a valid W3C traceparent
   */
  public List<SpanData> derive(Collection<JournalEntry> entries, String traceparent) {
    SpanContext remote = traceparent == null ? null : SpanIds.parseTraceparent(traceparent);
    Map<String, List<JournalEntry>> byRun = new LinkedHashMap<>();
    Map<String, Long> fences = new HashMap<>();
    for (JournalEntry entry : entries) {
      byRun.computeIfAbsent(entry.runId(), id -> new ArrayList<>()).add(entry);
      if (entry.event() instanceof JournalEvent.StageStarted s) {
        // The latest lease wins: a repeated attempt's call continues in the same call id.
        fences.merge(
            entry.runId() + "/" + NestedCall.stageKey(s.stage(), s.attempt()),
            (long) entry.seq() / JournalEntry.BLOCK,
            Math::max);
      }
    }
    List<SpanData> spans = new ArrayList<>();
    byRun.forEach(
        (runId, runEntries) -> {
          for (RunSegment segment : Segments.split(runId, runEntries, null)) {
            if (segment.ready()) {
              spans.addAll(derive(segment, lineage(segment, remote, fences)));
            }
          }
        });
    return spans;
  }

  /**
   * The W3C traceparent of a run's span as this class derives it, e.g. for a response header that
   * lets a client find the trace of its call.
   */
  public static String traceparent(String runId) {
    String traceId = SpanIds.traceId(runId);
    return SpanIds.traceparent(SpanIds.sampled(traceId, SpanIds.runSpanId(runId, 0)));
  }

  /** The resource every derived span carries ({@code service.name} and the SDK's defaults). */
  public Resource resource() {
    return origin.resource();
  }

  List<SpanData> derive(RunSegment segment, Lineage lineage) {
    return Spans.derive(origin, segment, lineage);
  }

  private static Lineage lineage(RunSegment segment, SpanContext remote, Map<String, Long> fences) {
    NestedCall call = NestedCall.parse(segment.runId());
    Long fence =
        call == null
            ? null
            : call.fence() != null
                ? call.fence()
                : fences.get(
                    call.pipelineRunId() + "/" + NestedCall.stageKey(call.stage(), call.attempt()));
    return Lineage.of(segment, remote, fence);
  }
}
