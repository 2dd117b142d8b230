package dev.ballast.telemetry;

import static dev.ballast.telemetry.Journals.GATEWAY_RUN;
import static dev.ballast.telemetry.Journals.PROVIDERS;
import static dev.ballast.telemetry.Journals.T0;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gateway run with a failed attempt, a failover and an answer, traced from its journal. */
class GatewayRunSpansTest {
  private final List<JournalTracer> tracers = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    tracers.forEach(JournalTracer::close);
  }

  private List<SpanData> trace(TelemetryConfig config) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    JournalTracer tracer =
        JournalTracer.create(config, PROVIDERS, SimpleSpanProcessor.create(exporter));
    tracers.add(tracer);
    tracer.accept(Journals.gatewayRunWithFailover());
    return exporter.getFinishedSpanItems();
  }

  private List<SpanData> trace() {
    return trace(TelemetryConfig.defaults());
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aRunIsAServerSpanNamedForItsOperationAndModelGroupWithAClientSpanPerAttempt() {
    List<SpanData> spans = trace();

    assertThat(spans)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("chat default", "chat gpt-4o-mini", "chat claude-haiku-4-5");
    SpanData run = named(spans, "chat default");
    assertThat(run.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(run.getParentSpanContext().isValid()).isFalse();
    for (String attempt : List.of("chat gpt-4o-mini", "chat claude-haiku-4-5")) {
      SpanData span = named(spans, attempt);
      assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(span.getParentSpanId()).isEqualTo(run.getSpanId());
      assertThat(span.getTraceId()).isEqualTo(run.getTraceId());
    }
  }

  @Test
  void theFailedAttemptCarriesItsErrorTypeAndStatusAndTheDecisionToFailOver() {
    SpanData failed = named(trace(), "chat gpt-4o-mini");

    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getStatus().getDescription()).isEqualTo("upstream answered 503");
    var a = failed.getAttributes();
    assertThat(a.get(stringKey("error.type"))).isEqualTo("server_error");
    assertThat(a.get(longKey("http.response.status_code"))).isEqualTo(503L);
    assertThat(a.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(a.get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(a.get(stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
    assertThat(a.get(stringKey("server.address"))).isEqualTo("api.openai.com");
    assertThat(a.get(longKey("server.port"))).isEqualTo(443L);
    assertThat(a.get(longKey("ballast.attempt"))).isEqualTo(1L);
    assertThat(a.get(stringKey("ballast.deployment"))).isEqualTo("primary");
    assertThat(a.get(stringKey("ballast.provider"))).isEqualTo("openai-main");
    assertThat(a.get(stringKey("ballast.breaker.state"))).isEqualTo("closed");
    assertThat(a.get(stringKey("ballast.decision"))).isEqualTo("failover");
    assertThat(a.get(longKey("gen_ai.usage.input_tokens"))).isNull();
  }

  @Test
  void theAnsweringAttemptCarriesResponseModelUsageFinishReasonAndCost() {
    var a = named(trace(), "chat claude-haiku-4-5").getAttributes();

    assertThat(a.get(stringKey("gen_ai.provider.name"))).isEqualTo("anthropic");
    assertThat(a.get(stringKey("gen_ai.response.model"))).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(a.get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(12L);
    assertThat(a.get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(7L);
    assertThat(a.get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
    assertThat(a.get(stringKey("error.type"))).isNull();
    assertThat(a.get(doubleKey("ballast.cost_usd"))).isEqualTo(0.00042);
    assertThat(a.get(stringKey("ballast.decision"))).isEqualTo("answered");
    assertThat(a.get(stringArrayKey("ballast.repairs"))).containsExactly("fenced_json");
    assertThat(a.get(stringKey("server.address"))).isEqualTo("eu.anthropic.example");
    assertThat(a.get(longKey("server.port"))).isEqualTo(8443L);
  }

  @Test
  void theRunSpanCarriesItsPinsTenantTotalCostAndTheBreakerTransitionAsAnEvent() {
    SpanData run = named(trace(), "chat default");
    var a = run.getAttributes();

    assertThat(a.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(a.get(stringKey("gen_ai.request.model"))).isEqualTo("default");
    assertThat(a.get(stringKey("gen_ai.response.model"))).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(a.get(stringKey("gen_ai.provider.name"))).isEqualTo("anthropic");
    assertThat(a.get(booleanKey("gen_ai.request.stream"))).isFalse();
    assertThat(a.get(stringKey("ballast.run.id"))).isEqualTo(GATEWAY_RUN);
    assertThat(a.get(stringKey("ballast.run.status"))).isEqualTo("succeeded");
    assertThat(a.get(stringKey("ballast.tenant"))).isEqualTo("acme");
    assertThat(a.get(stringKey("ballast.config.version"))).isEqualTo("cfg-7f3a");
    assertThat(a.get(stringArrayKey("ballast.route.deployments")))
        .containsExactly("primary", "backup");
    assertThat(a.get(stringKey("ballast.deployment"))).isEqualTo("backup");
    assertThat(a.get(longKey("ballast.run.attempts"))).isEqualTo(2L);
    assertThat(a.get(doubleKey("ballast.cost_usd"))).isEqualTo(0.00042);
    assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(run.getEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("ballast.breaker.transition");
              assertThat(e.getAttributes().get(stringKey("ballast.breaker.to"))).isEqualTo("open");
              assertThat(e.getEpochNanos()).isEqualTo(nanos(131));
            });
  }

  @Test
  void spanTimesComeFromTheJournal() {
    List<SpanData> spans = trace();

    SpanData run = named(spans, "chat default");
    assertThat(run.getStartEpochNanos()).isEqualTo(nanos(0));
    assertThat(run.getEndEpochNanos()).isEqualTo(nanos(0) + 401_500_000L);
    SpanData failed = named(spans, "chat gpt-4o-mini");
    assertThat(failed.getStartEpochNanos()).isEqualTo(nanos(10));
    assertThat(failed.getEndEpochNanos()).isEqualTo(nanos(130));
    SpanData answered = named(spans, "chat claude-haiku-4-5");
    assertThat(answered.getStartEpochNanos()).isEqualTo(nanos(150));
    assertThat(answered.getEndEpochNanos()).isEqualTo(nanos(400));
  }

  @Test
  void derivingTheSameJournalTwiceGivesTheSameIdsAndTheTraceIdComesFromTheRunId() {
    List<SpanData> first = JournalSpans.create().derive(Journals.gatewayRunWithFailover());
    List<SpanData> second =
        JournalSpans.create().derive(Journals.gatewayRunWithFailover().reversed());

    assertThat(second)
        .extracting(SpanData::getSpanId)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(SpanData::getSpanId).toList());
    assertThat(JournalSpans.traceparent(GATEWAY_RUN))
        .isEqualTo("00-" + first.get(0).getTraceId() + "-" + first.get(0).getSpanId() + "-01");
  }

  @Test
  void aTraceparentMakesTheRunAChildOfTheCallersSpanInTheCallersTrace() {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    List<SpanData> spans =
        JournalSpans.create().derive(Journals.gatewayRunWithFailover(), traceparent);

    SpanData run = named(spans, "chat default");
    assertThat(run.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(run.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(run.getParentSpanContext().isRemote()).isTrue();
    assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(run.getTraceId()));
  }

  @Test
  void contentIsLeftOutUnlessCaptureIsOn() {
    List<SpanData> without = trace();
    List<SpanData> with = trace(TelemetryConfig.builder().captureContent(true).build());

    assertThat(without)
        .allSatisfy(
            s ->
                assertThat(s.getAttributes().asMap().keySet())
                    .noneMatch(k -> k.getKey().startsWith("ballast.content.")));
    var run = named(with, "chat default").getAttributes();
    assertThat(run.get(stringKey("ballast.content.input"))).contains("\"content\":\"hi\"");
    assertThat(run.get(stringKey("ballast.content.output"))).isEqualTo("{\"text\":\"hello\"}");
  }

  @Test
  void aFailedRunIsAnErrorWithItsErrorClassAndTheStatusItReturned() {
    var entries = new java.util.ArrayList<>(Journals.gatewayRunWithFailover().subList(0, 2));
    entries.add(
        new dev.ballast.core.journal.JournalEntry(
            GATEWAY_RUN,
            2,
            Journals.at(140),
            new dev.ballast.core.journal.JournalEvent.RunFailed(
                "server_error", 502, "every deployment failed", false, 140)));

    SpanData run =
        named(
            JournalSpans.create(TelemetryConfig.defaults(), PROVIDERS).derive(entries),
            "chat default");

    assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(run.getAttributes().get(stringKey("error.type"))).isEqualTo("server_error");
    assertThat(run.getAttributes().get(longKey("http.response.status_code"))).isEqualTo(502L);
    assertThat(run.getAttributes().get(stringKey("ballast.run.status"))).isEqualTo("failed");
    assertThat(run.getAttributes().get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
  }

  private static long nanos(long millis) {
    return (T0.getEpochSecond() * 1_000_000_000L) + millis * 1_000_000L;
  }
}
