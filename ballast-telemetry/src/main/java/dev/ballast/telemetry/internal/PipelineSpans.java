package dev.ballast.telemetry.internal;

import static dev.ballast.telemetry.internal.SpanDraft.millisToNanos;
import static dev.ballast.telemetry.internal.SpanDraft.nanos;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.EffectRecorded;
import dev.ballast.core.journal.JournalEvent.Retrieval;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunDead;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.JournalEvent.StageStarted;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of a pipeline run's segment: {@code invoke_workflow {pipeline}} for the run, one {@code
 * stage {name}} span per stage attempt, and under a stage attempt a {@code retrieval {collection}}
 * span per retrieval and an {@code execute_tool {stage}} span for an external effect (a webhook),
 * from its ledger record to the attempt's end. A pipeline's model calls are gateway runs of their
 * own, derived separately, whose spans name the stage span as parent.
 */
final class PipelineSpans {
  private static final String ABANDONED = "abandoned";

  /** The effect target of a memory update: state Ballast keeps, not a tool it calls. */
  private static final String MEMORY_TARGET = "memory";

  private final SpanOrigin origin;
  private final RunSegment segment;
  private final Lineage lineage;
  private final RunStarted header;
  private final SpanDraft run;
  private final Map<String, OpenStage> open = new LinkedHashMap<>();
  private final List<SpanData> spans = new ArrayList<>();

  private PipelineSpans(SpanOrigin origin, RunSegment segment, Lineage lineage) {
    this.origin = origin;
    this.segment = segment;
    this.lineage = lineage;
    this.header = segment.header();
    String pipeline = header == null ? null : header.operation();
    this.run =
        new SpanDraft(
            GatewaySpans.name(SemconvKeys.OPERATION_INVOKE_WORKFLOW, pipeline),
            SpanKind.INTERNAL,
            SpanIds.sampled(
                lineage.traceId(), SpanIds.runSpanId(segment.runId(), segment.firstSeq())),
            lineage.parent());
  }

  static List<SpanData> derive(SpanOrigin origin, RunSegment segment, Lineage lineage) {
    return new PipelineSpans(origin, segment, lineage).derive();
  }

  private List<SpanData> derive() {
    run.times(nanos(segment.entries().getFirst().at()), nanos(segment.last().at()));
    describeRun();
    for (JournalEntry entry : segment.entries()) {
      switch (entry.event()) {
        case StageStarted s ->
            open.put(
                key(s.stage(), s.attempt(), fence(entry)),
                new OpenStage(s.stage(), fence(entry), stageSpan(entry, s)));
        case StageCompleted c -> completed(entry, c);
        case StageFailed f -> failed(entry, f);
        case EffectRecorded e -> effect(entry, e);
        case Retrieval r -> retrieval(entry, r);
        default -> {}
      }
    }
    // A stage attempt without an end event: its worker stopped, or lost its lease without saying.
    for (OpenStage abandoned : open.values()) {
      SpanDraft span = abandoned.span;
      span.times(span.start, nextLeaseStart(abandoned.fence))
          .put(BallastKeys.STAGE_OUTCOME, ABANDONED)
          .error("the stage attempt has no end in the journal: its worker stopped");
      spans.add(span.build(origin));
      SpanDraft tool = abandoned.tool;
      if (tool != null) {
        spans.add(
            tool.times(tool.start, span.end).error("its stage attempt has no end").build(origin));
      }
    }
    outcome();
    spans.addFirst(run.build(origin));
    return spans;
  }

  private void describeRun() {
    run.put(SemconvKeys.OPERATION_NAME, SemconvKeys.OPERATION_INVOKE_WORKFLOW)
        .put(BallastKeys.RUN_ID, segment.runId())
        .put(BallastKeys.RUN_KIND, "pipeline");
    if (segment.resumed()) {
      run.put(BallastKeys.RUN_RESUMED, true);
    }
    if (header == null) {
      return;
    }
    run.putText(SemconvKeys.WORKFLOW_NAME, header.operation())
        .putText(BallastKeys.TENANT, header.tenant());
    if (header.pins() != null) {
      run.putText(BallastKeys.CONFIG_VERSION, header.pins().configVersion())
          .putText(BallastKeys.PIPELINE_VERSION, header.pins().pipelineVersion());
    }
    if (!segment.resumed()) {
      run.put(BallastKeys.CONTENT_INPUT, origin.content(header.request()));
    }
  }

  private void outcome() {
    switch (segment.last().event()) {
      case RunCompleted c ->
          run.put(BallastKeys.RUN_STATUS, "succeeded")
              .put(BallastKeys.CONTENT_OUTPUT, origin.content(c.response()));
      case RunFailed f ->
          run.put(BallastKeys.RUN_STATUS, "failed")
              .putText(SemconvKeys.ERROR_TYPE, f.errorClass())
              .error(f.message());
      case RunDead d ->
          run.put(BallastKeys.RUN_STATUS, "dead")
              .putText(SemconvKeys.ERROR_TYPE, d.errorClass())
              .putText(BallastKeys.STAGE_NAME, d.stage())
              .error(d.message());
      default -> {}
    }
  }

  private SpanDraft stageSpan(JournalEntry entry, StageStarted s) {
    SpanDraft span = draft(s.stage(), s.attempt(), fence(entry));
    span.start = Math.max(run.start, nanos(entry.at()));
    span.putLong(BallastKeys.STAGE_INDEX, s.index())
        .putText(BallastKeys.STAGE_WORKER, s.worker())
        .put(BallastKeys.STAGE_QUEUE_WAIT_MS, s.queueWaitMs() > 0 ? s.queueWaitMs() : null);
    return span;
  }

  private void completed(JournalEntry entry, StageCompleted c) {
    SpanDraft span = started(entry, c.stage(), c.index(), c.attempt(), c.durationMs());
    span.put(BallastKeys.STAGE_OUTCOME, "completed")
        .put(BallastKeys.CONTENT_OUTPUT, origin.content(c.output()));
    spans.add(span.build(origin));
  }

  private void failed(JournalEntry entry, StageFailed f) {
    SpanDraft span = started(entry, f.stage(), f.index(), f.attempt(), f.durationMs());
    span.putText(BallastKeys.STAGE_OUTCOME, f.next())
        .putText(SemconvKeys.ERROR_TYPE, f.errorClass())
        .put(BallastKeys.STAGE_RETRY_AT, f.retryAt() == null ? null : f.retryAt().toString());
    if ("parked".equals(f.next())) {
      // Waiting for a dependency is not a failure of the stage; the attempt is not even counted.
      span.putText(BallastKeys.STAGE_DEPENDENCY, f.dependency());
    } else {
      span.error(f.message());
    }
    spans.add(span.build(origin));
  }

  /**
   * The open span of a stage attempt, ended at {@code entry}; a stage parked before it started has
   * no {@code StageStarted}, and gets a span of its own.
   */
  private SpanDraft started(JournalEntry entry, String stage, int index, int attempt, double ms) {
    long fence = fence(entry);
    OpenStage opened = open.remove(key(stage, attempt, fence));
    SpanDraft span = opened == null ? null : opened.span;
    long end = nanos(entry.at());
    if (opened != null && opened.tool != null) {
      SpanDraft tool = opened.tool;
      tool.times(tool.start, Math.max(tool.start, end));
      if (entry.event() instanceof StageFailed f && !"parked".equals(f.next())) {
        tool.putText(SemconvKeys.ERROR_TYPE, f.errorClass()).error(f.message());
      }
      spans.add(tool.build(origin));
    }
    if (span == null) {
      span = draft(stage, attempt, fence).putLong(BallastKeys.STAGE_INDEX, index);
      span.start = Math.max(run.start, end - millisToNanos(ms));
    }
    return span.times(span.start, end);
  }

  private SpanDraft draft(String stage, int attempt, long fence) {
    String spanId = SpanIds.stageSpanId(segment.runId(), stage, attempt, fence);
    return new SpanDraft(
            "stage " + stage,
            SpanKind.INTERNAL,
            SpanIds.sampled(lineage.traceId(), spanId),
            run.context)
        .put(BallastKeys.RUN_ID, segment.runId())
        .put(BallastKeys.STAGE_NAME, stage)
        .putLong(BallastKeys.STAGE_ATTEMPT, attempt)
        .putLong(BallastKeys.STAGE_FENCE, fence)
        .putText(
            BallastKeys.PIPELINE_VERSION,
            header == null || header.pins() == null ? null : header.pins().pipelineVersion());
  }

  private void effect(JournalEntry entry, EffectRecorded e) {
    long fence = fence(entry);
    for (OpenStage candidate : open.values()) {
      if (candidate.stage.equals(e.stage()) && candidate.fence == fence) {
        if (!MEMORY_TARGET.equals(e.target()) && candidate.tool == null) {
          candidate.tool = toolSpan(entry, e, candidate);
        }
        candidate.span.event(
            BallastKeys.EVENT_EFFECT_RECORDED,
            entry.at(),
            Attributes.of(
                BallastKeys.EFFECT_KEY, e.effectKey(),
                BallastKeys.EFFECT_TARGET, e.target(),
                BallastKeys.EFFECT_FIRST_RECORD, e.firstRecord()));
        return;
      }
    }
  }

  /** A {@code retrieval {collection}} span under the stage attempt that searched. */
  private void retrieval(JournalEntry entry, Retrieval r) {
    long fence = fence(entry);
    SpanDraft parent = run;
    for (OpenStage candidate : open.values()) {
      if (candidate.stage.equals(r.stage()) && candidate.fence == fence) {
        parent = candidate.span;
      }
    }
    SpanDraft span =
        new SpanDraft(
                GatewaySpans.name(SemconvKeys.OPERATION_RETRIEVAL, r.collection()),
                SpanKind.INTERNAL,
                SpanIds.sampled(
                    lineage.traceId(),
                    SpanIds.entrySpanId("retrieval", segment.runId(), entry.seq())),
                parent.context)
            .put(SemconvKeys.OPERATION_NAME, SemconvKeys.OPERATION_RETRIEVAL)
            .putText(SemconvKeys.DATA_SOURCE_ID, r.collection())
            .put(SemconvKeys.REQUEST_TOP_K, (double) r.k())
            .put(BallastKeys.RUN_ID, segment.runId())
            .putText(BallastKeys.STAGE_NAME, r.stage())
            .putText(BallastKeys.RETRIEVAL_MODE, r.mode())
            .putLong(BallastKeys.RETRIEVAL_GENERATION, r.generation())
            .putLong(BallastKeys.RETRIEVAL_INDEX_GENERATION, r.indexGeneration())
            .put(
                BallastKeys.RETRIEVAL_CHUNK_IDS,
                r.results().stream().map(JournalEvent.RetrievedChunk::chunkId).toList());
    long end = nanos(entry.at());
    span.times(Math.max(parent.start, end - millisToNanos(r.durationMs())), end);
    spans.add(span.build(origin));
  }

  /** An {@code execute_tool {stage}} span, from the effect's ledger record to the attempt's end. */
  private SpanDraft toolSpan(JournalEntry entry, EffectRecorded e, OpenStage stage) {
    SpanDraft span =
        new SpanDraft(
                GatewaySpans.name(SemconvKeys.OPERATION_EXECUTE_TOOL, e.stage()),
                SpanKind.CLIENT,
                SpanIds.sampled(
                    lineage.traceId(), SpanIds.entrySpanId("tool", segment.runId(), entry.seq())),
                stage.span.context)
            .put(SemconvKeys.OPERATION_NAME, SemconvKeys.OPERATION_EXECUTE_TOOL)
            .putText(SemconvKeys.TOOL_NAME, e.stage())
            .put(SemconvKeys.TOOL_TYPE, "extension")
            .putText(SemconvKeys.TOOL_CALL_ID, e.effectKey())
            .put(BallastKeys.RUN_ID, segment.runId())
            .putText(BallastKeys.EFFECT_TARGET, e.target())
            .put(BallastKeys.EFFECT_FIRST_RECORD, e.firstRecord());
    span.start = nanos(entry.at());
    return span;
  }

  /** The first event of a later lease than {@code fence}'s, or the segment's end. */
  private long nextLeaseStart(long fence) {
    for (JournalEntry entry : segment.entries()) {
      if (fence(entry) > fence) {
        return nanos(entry.at());
      }
    }
    return run.end;
  }

  private static long fence(JournalEntry entry) {
    return entry.seq() / JournalEntry.BLOCK;
  }

  private static String key(String stage, int attempt, long fence) {
    return stage + "\u0000" + attempt + "\u0000" + fence;
  }

  /** A stage attempt that has started and not yet ended. */
  private static final class OpenStage {
    final String stage;
    final long fence;
    final SpanDraft span;

    /** The attempt's {@code execute_tool} span, once it recorded an external effect. */
    SpanDraft tool;

    OpenStage(String stage, long fence, SpanDraft span) {
      this.stage = stage;
      this.fence = fence;
      this.span = span;
    }
  }
}
