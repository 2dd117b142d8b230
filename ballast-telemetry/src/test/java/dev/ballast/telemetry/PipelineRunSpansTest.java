package dev.ballast.telemetry;

import static dev.ballast.telemetry.Journals.MODEL_CALL;
import static dev.ballast.telemetry.Journals.PROVIDERS;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pipeline run with a generate stage (whose model call is its own gateway run) and a webhook. */
class PipelineRunSpansTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final JournalTracer tracer =
      JournalTracer.create(
          TelemetryConfig.defaults(), PROVIDERS, SimpleSpanProcessor.create(exporter));

  @AfterEach
  void close() {
    tracer.close();
  }

  /** Feeds entries in batches of {@code size}, as the journal writer reports stored batches. */
  private List<SpanData> trace(List<JournalEntry> entries, int size) {
    for (int i = 0; i < entries.size(); i += size) {
      tracer.accept(entries.subList(i, Math.min(entries.size(), i + size)));
    }
    return exporter.getFinishedSpanItems();
  }

  private static SpanData only(List<SpanData> spans, Predicate<SpanData> which) {
    List<SpanData> found = spans.stream().filter(which).toList();
    assertThat(found).hasSize(1);
    return found.getFirst();
  }

  private static Predicate<SpanData> stage(String name, long attempt) {
    return s ->
        s.getName().equals("stage " + name)
            && Long.valueOf(attempt)
                .equals(s.getAttributes().get(longKey("ballast.stage.attempt")));
  }

  @Test
  void aPipelineRunIsAnInvokeWorkflowSpanWithAStageSpanPerStageAttempt() {
    List<SpanData> spans = trace(Journals.pipelineRun(), 3);

    SpanData run = only(spans, s -> s.getName().equals("invoke_workflow digest"));
    assertThat(run.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(run.getParentSpanContext().isValid()).isFalse();
    assertThat(run.getAttributes().get(stringKey("gen_ai.operation.name")))
        .isEqualTo("invoke_workflow");
    assertThat(run.getAttributes().get(stringKey("gen_ai.workflow.name"))).isEqualTo("digest");
    assertThat(run.getAttributes().get(stringKey("ballast.pipeline.version")))
        .isEqualTo("9c1e0d2a4b6f");
    assertThat(run.getAttributes().get(stringKey("ballast.run.status"))).isEqualTo("succeeded");
    assertThat(spans)
        .filteredOn(s -> s.getName().startsWith("stage "))
        .hasSize(3)
        .allSatisfy(
            s -> {
              assertThat(s.getParentSpanId()).isEqualTo(run.getSpanId());
              assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
            });
  }

  @Test
  void stageSpansCarryNameIndexAttemptWorkerFenceAndOutcome() {
    List<SpanData> spans = trace(Journals.pipelineRun(), 100);

    var first = only(spans, stage("summarize", 1)).getAttributes();
    assertThat(first.get(stringKey("ballast.stage.name"))).isEqualTo("summarize");
    assertThat(first.get(longKey("ballast.stage.index"))).isEqualTo(0L);
    assertThat(first.get(stringKey("ballast.stage.worker"))).isEqualTo("node-a/1");
    assertThat(first.get(longKey("ballast.stage.fence"))).isEqualTo(1L);
    assertThat(first.get(stringKey("ballast.stage.outcome"))).isEqualTo("completed");
    SpanData failed = only(spans, stage("notify", 1));
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(stringKey("ballast.stage.outcome"))).isEqualTo("waiting");
    assertThat(failed.getAttributes().get(stringKey("error.type"))).isEqualTo("http_503");
    assertThat(failed.getAttributes().get(stringKey("ballast.stage.retry_at")))
        .isEqualTo(Journals.at(1700).toString());
    var retried = only(spans, stage("notify", 2)).getAttributes();
    assertThat(retried.get(stringKey("ballast.stage.worker"))).isEqualTo("node-b/3");
    assertThat(retried.get(longKey("ballast.stage.fence"))).isEqualTo(2L);
  }

  @Test
  void recordedEffectsAreEventsOnTheStageAttemptThatRecordedThem() {
    List<SpanData> spans = trace(Journals.pipelineRun(), 100);

    assertThat(only(spans, stage("notify", 1)).getEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("ballast.effect.recorded");
              assertThat(e.getAttributes().get(booleanKey("ballast.effect.first_record"))).isTrue();
            });
    assertThat(only(spans, stage("notify", 2)).getEvents())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getAttributes().get(booleanKey("ballast.effect.first_record")))
                    .isFalse());
  }

  @Test
  void aWebhookEffectIsAnExecuteToolSpanUnderItsStageAttemptUntilTheAttemptEnds() {
    List<SpanData> spans = trace(Journals.pipelineRun(), 100);

    List<SpanData> tools =
        spans.stream().filter(s -> s.getName().equals("execute_tool notify")).toList();
    assertThat(tools).hasSize(2);
    SpanData failedAttempt = only(spans, stage("notify", 1));
    SpanData first = only(tools, s -> s.getParentSpanId().equals(failedAttempt.getSpanId()));
    assertThat(first.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(first.getAttributes().get(stringKey("gen_ai.operation.name")))
        .isEqualTo("execute_tool");
    assertThat(first.getAttributes().get(stringKey("gen_ai.tool.name"))).isEqualTo("notify");
    assertThat(first.getAttributes().get(stringKey("gen_ai.tool.call.id")))
        .isEqualTo(Journals.PIPELINE_RUN + "/notify/webhook");
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getAttributes().get(stringKey("error.type"))).isEqualTo("http_503");
    assertThat(first.getStartEpochNanos()).isEqualTo(Journals.at(602).toEpochMilli() * 1_000_000L);
    assertThat(first.getEndEpochNanos()).isEqualTo(failedAttempt.getEndEpochNanos());
    SpanData second = only(tools, s -> s != first && !s.getSpanId().equals(first.getSpanId()));
    assertThat(second.getParentSpanId()).isEqualTo(only(spans, stage("notify", 2)).getSpanId());
    assertThat(second.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @Test
  void aRetrievalIsARetrievalSpanNamedByItsCollectionWithThePinnedGeneration() {
    List<JournalEntry> entries = new ArrayList<>(Journals.pipelineRun().subList(0, 1));
    entries.add(
        Journals.stage(
            1000, 10, new JournalEvent.StageStarted("retrieve", 0, 1, "node-a/1", 1, 0)));
    entries.add(
        Journals.stage(
            1001,
            40,
            new JournalEvent.Retrieval(
                "retrieve",
                "docs",
                "hybrid",
                null,
                3,
                4,
                2,
                List.of(
                    new JournalEvent.RetrievedChunk("c1", "a.md", "h1", 0.9),
                    new JournalEvent.RetrievedChunk("c2", "b.md", "h2", 0.7)),
                25)));
    entries.add(
        Journals.stage(1002, 41, new JournalEvent.StageCompleted("retrieve", 0, 1, 31, null)));
    entries.add(
        Journals.stage(
            1003, 42, new JournalEvent.RunCompleted(null, null, null, null, 0, 32, null)));

    List<SpanData> spans = trace(entries, 100);

    SpanData retrieval = only(spans, s -> s.getName().equals("retrieval docs"));
    assertThat(retrieval.getParentSpanId())
        .isEqualTo(only(spans, stage("retrieve", 1)).getSpanId());
    var a = retrieval.getAttributes();
    assertThat(a.get(stringKey("gen_ai.operation.name"))).isEqualTo("retrieval");
    assertThat(a.get(stringKey("gen_ai.data_source.id"))).isEqualTo("docs");
    assertThat(a.get(AttributeKey.doubleKey("gen_ai.request.top_k"))).isEqualTo(2.0);
    assertThat(a.get(longKey("ballast.retrieval.generation"))).isEqualTo(3L);
    assertThat(a.get(longKey("ballast.retrieval.index_generation"))).isEqualTo(4L);
    assertThat(a.get(AttributeKey.stringArrayKey("ballast.retrieval.chunk_ids")))
        .containsExactly("c1", "c2");
    assertThat(retrieval.getEndEpochNanos() - retrieval.getStartEpochNanos())
        .isEqualTo(25_000_000L);
  }

  @Test
  void theGenerateStagesModelCallIsNestedUnderTheStageAttemptThatMadeIt() {
    List<SpanData> spans = trace(Journals.pipelineWithModelCallInStoreOrder(), 2);

    SpanData run = only(spans, s -> s.getName().equals("invoke_workflow digest"));
    SpanData summarize = only(spans, stage("summarize", 1));
    SpanData call = only(spans, s -> s.getName().equals("chat default"));
    SpanData attempt = only(spans, s -> s.getName().equals("chat gpt-4o-mini"));
    assertThat(call.getParentSpanId()).isEqualTo(summarize.getSpanId());
    assertThat(call.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(call.getAttributes().get(stringKey("ballast.run.id"))).isEqualTo(MODEL_CALL);
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attempt.getAttributes().get(longKey("gen_ai.usage.cache_read.input_tokens")))
        .isEqualTo(256L);
    assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(run.getTraceId()));
  }

  @Test
  void derivingThePipelineRunAndItsCallFromTheStoreGivesTheSameSpansAsTracingThemLive() {
    List<SpanData> live = trace(Journals.pipelineWithModelCallInStoreOrder(), 1);

    List<SpanData> later =
        JournalSpans.create(TelemetryConfig.defaults(), PROVIDERS)
            .derive(Journals.pipelineWithModelCallInStoreOrder().reversed());

    assertThat(later)
        .extracting(s -> s.getName() + " " + s.getSpanId() + " <- " + s.getParentSpanId())
        .containsExactlyInAnyOrderElementsOf(
            live.stream()
                .map(s -> s.getName() + " " + s.getSpanId() + " <- " + s.getParentSpanId())
                .toList());
  }

  @Test
  void aRunDeadAtAStageAndResumedLaterContinuesInASecondWorkflowSpanUnderTheFirst() {
    List<JournalEntry> dead = new ArrayList<>(Journals.pipelineRun().subList(0, 5));
    dead.add(
        Journals.stage(
            1004,
            700,
            new JournalEvent.StageFailed(
                "notify", 1, 3, "http_503", "503 again", "dead", null, null, 99)));
    dead.add(Journals.stage(1005, 701, new JournalEvent.RunDead("notify", "http_503", "503", 700)));
    List<JournalEntry> resumed =
        List.of(
            // The engine journals the operator's resume at the end of the dead lease's block.
            Journals.stage(1999, 89_000, new JournalEvent.RunResumed("notify", 1)),
            Journals.stage(
                3000, 90_000, new JournalEvent.StageStarted("notify", 1, 1, "node-c/1", 3, 0)),
            Journals.stage(3001, 90_050, new JournalEvent.StageCompleted("notify", 1, 1, 50, null)),
            Journals.stage(
                3002, 90_051, new JournalEvent.RunCompleted(null, null, null, null, 0, 51, null)));

    List<SpanData> afterDeath = List.copyOf(trace(dead, 100));
    List<SpanData> all = trace(resumed, 100);

    SpanData first = only(afterDeath, s -> s.getName().equals("invoke_workflow digest"));
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getAttributes().get(stringKey("ballast.run.status"))).isEqualTo("dead");
    SpanData second =
        only(
            all,
            s ->
                s.getName().equals("invoke_workflow digest")
                    && s != first
                    && !s.getSpanId().equals(first.getSpanId()));
    assertThat(second.getParentSpanId()).isEqualTo(first.getSpanId());
    assertThat(second.getAttributes().get(booleanKey("ballast.run.resumed"))).isTrue();
    assertThat(second.getAttributes().get(stringKey("ballast.run.status"))).isEqualTo("succeeded");
    assertThat(second.getStartEpochNanos())
        .as("the resumed segment starts at the resume")
        .isEqualTo(Journals.at(89_000).toEpochMilli() * 1_000_000L);
    assertThat(
            only(
                all,
                s ->
                    s.getName().equals("stage notify")
                        && s.getParentSpanId().equals(second.getSpanId())))
        .isNotNull();
  }

  @Test
  void aStageParkedBeforeItStartedStillGetsASpanThatIsNotAnError() {
    List<JournalEntry> entries = new ArrayList<>(Journals.pipelineRun().subList(0, 1));
    entries.add(
        Journals.stage(
            1000,
            5,
            new JournalEvent.StageFailed(
                "summarize",
                0,
                1,
                "dependency_unavailable",
                "breaker open",
                "parked",
                null,
                "model:default",
                0)));
    entries.add(
        Journals.stage(1001, 6, new JournalEvent.RunFailed("cancelled", 0, "gave up", false, 6)));

    SpanData parked = only(JournalSpans.create().derive(entries), stage("summarize", 1));

    assertThat(parked.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(parked.getAttributes().get(stringKey("ballast.stage.outcome"))).isEqualTo("parked");
    assertThat(parked.getAttributes().get(stringKey("ballast.stage.dependency")))
        .isEqualTo("model:default");
  }

  @Test
  void aStageAttemptWhoseWorkerVanishedEndsWhereTheNextLeaseBegins() {
    List<JournalEntry> entries = new ArrayList<>(Journals.pipelineRun().subList(0, 2));
    entries.add(
        Journals.stage(
            2000, 40_000, new JournalEvent.StageStarted("summarize", 0, 1, "node-b/1", 2, 0)));
    entries.add(
        Journals.stage(
            2001, 40_500, new JournalEvent.StageCompleted("summarize", 0, 1, 500, null)));
    entries.add(
        Journals.stage(
            2002, 40_501, new JournalEvent.RunCompleted(null, null, null, null, 0, 501, null)));

    List<SpanData> spans = JournalSpans.create().derive(entries);

    SpanData abandoned =
        only(
            spans,
            s -> "abandoned".equals(s.getAttributes().get(stringKey("ballast.stage.outcome"))));
    assertThat(abandoned.getAttributes().get(longKey("ballast.stage.fence"))).isEqualTo(1L);
    assertThat(abandoned.getEndEpochNanos())
        .isEqualTo(Journals.at(40_000).getEpochSecond() * 1_000_000_000L);
    assertThat(abandoned.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans).filteredOn(s -> s.getName().equals("stage summarize")).hasSize(2);
  }
}
