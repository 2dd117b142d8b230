package dev.ballast.telemetry;

import static dev.ballast.telemetry.Journals.GATEWAY_RUN;
import static dev.ballast.telemetry.Journals.PROVIDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Pins;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the journal listener buffers runs, emits them when they end, and bounds its memory. */
class JournalTracerTest {
  private InMemorySpanExporter exporter;
  private JournalTracer tracer = tracer(TelemetryConfig.defaults());

  /** A tracer with an exporter of its own (closing a tracer shuts its exporter down). */
  private JournalTracer tracer(TelemetryConfig config) {
    exporter = InMemorySpanExporter.create();
    return JournalTracer.create(config, PROVIDERS, SimpleSpanProcessor.create(exporter));
  }

  @AfterEach
  void close() {
    tracer.close();
  }

  private static List<JournalEntry> run(String runId) {
    return Journals.gatewayRunWithFailover().stream()
        .map(e -> new JournalEntry(runId, e.seq(), e.at(), e.event()))
        .toList();
  }

  @Test
  void aRunsSpansAreEmittedOnlyOnceItsTerminalEventIsStored() {
    List<JournalEntry> entries = Journals.gatewayRunWithFailover();

    tracer.accept(entries.subList(0, 4));
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    assertThat(tracer.stats().bufferedRuns()).isEqualTo(1);

    tracer.accept(entries.subList(4, 5));
    assertThat(exporter.getFinishedSpanItems()).hasSize(3);
    assertThat(tracer.stats().bufferedRuns()).isZero();
    assertThat(tracer.stats().segments()).isEqualTo(1);
  }

  @Test
  void aTerminalEventStoredBeforeEarlierEntriesWaitsForThem() {
    // The spool can deliver a run's last entry before the ones the store took directly.
    List<JournalEntry> entries = Journals.gatewayRunWithFailover();

    tracer.accept(List.of(entries.get(0), entries.get(4)));
    tracer.accept(List.of(entries.get(3)));
    assertThat(exporter.getFinishedSpanItems()).isEmpty();

    tracer.accept(List.of(entries.get(2), entries.get(1)));
    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("chat default", "chat gpt-4o-mini", "chat claude-haiku-4-5");
  }

  @Test
  void entriesDeliveredAgainAreIgnored() {
    List<JournalEntry> entries = Journals.gatewayRunWithFailover();

    tracer.accept(entries);
    tracer.accept(entries);
    tracer.accept(entries.subList(1, 3));

    assertThat(exporter.getFinishedSpanItems()).hasSize(3);
    assertThat(tracer.stats().duplicates()).isEqualTo(entries.size() + 2);
    assertThat(tracer.stats().bufferedRuns()).isZero();
  }

  @Test
  void theOldestUnfinishedRunsAreDroppedBeyondTheLimitAndCounted() {
    tracer.close();
    tracer = tracer(TelemetryConfig.builder().maxBufferedRuns(2).build());

    for (String runId : List.of("run_a", "run_b", "run_c")) {
      tracer.accept(run(runId).subList(0, 2));
    }
    for (String runId : List.of("run_a", "run_b", "run_c")) {
      tracer.accept(run(runId).subList(2, 5));
    }

    JournalTracer.Stats stats = tracer.stats();
    assertThat(stats.droppedRuns()).isEqualTo(1);
    assertThat(exporter.getFinishedSpanItems())
        .extracting(s -> s.getAttributes().get(AttributeKey.stringKey("ballast.run.id")))
        .containsOnly("run_b", "run_c");
    // run_a's later entries could only make an incomplete run that pushes out another: they are
    // dropped too, up to its terminal event.
    assertThat(stats.droppedEntries()).isEqualTo(5);
    assertThat(stats.bufferedRuns()).isZero();
  }

  @Test
  void aModelCallIdJournaledAgainAfterItsStageWasParkedBecomesASecondRun() {
    List<JournalEntry> first = new ArrayList<>(Journals.modelCall());
    List<JournalEntry> again = new ArrayList<>();
    for (JournalEntry e : Journals.modelCall()) {
      again.add(new JournalEntry(e.runId(), e.seq() + 3, e.at().plusSeconds(60), e.event()));
    }

    tracer.accept(first);
    tracer.accept(again);

    List<SpanData> runs =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("chat default"))
            .toList();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).getSpanId()).isNotEqualTo(runs.get(1).getSpanId());
    assertThat(runs.get(0).getParentSpanId()).isEqualTo(runs.get(1).getParentSpanId());
  }

  @Test
  void aLinkedTraceparentPutsTheRunInTheCallersTrace() {
    tracer.link(GATEWAY_RUN, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    tracer.accept(Journals.gatewayRunWithFailover());

    assertThat(exporter.getFinishedSpanItems())
        .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
  }

  @Test
  void anInvalidTraceparentIsRefusedWithTheValue() {
    assertThatThrownBy(() -> tracer.link(GATEWAY_RUN, "00-xyz-01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("00-xyz-01");
  }

  @Test
  void aRunStartedWithoutOperationModelOrPinsStillBecomesASpan() {
    JournalEntry odd =
        new JournalEntry(
            "run_odd",
            0,
            Journals.T0,
            new JournalEvent.RunStarted("gateway", null, null, null, null, false, null, null));
    JournalEntry end =
        new JournalEntry(
            "run_odd", 1, Journals.T0, new JournalEvent.RunFailed(null, 0, null, false, 0));

    tracer.accept(List.of(odd, end));
    tracer.accept(Journals.gatewayRunWithFailover());

    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .contains("chat", "chat default");
    assertThat(tracer.stats().failures()).isZero();
  }

  @Test
  void aTracerWithoutAnEndpointIgnoresTheJournal() {
    try (JournalTracer disabled = JournalTracer.start(TelemetryConfig.defaults(), PROVIDERS)) {
      disabled.accept(Journals.gatewayRunWithFailover());

      assertThat(disabled.stats().segments()).isZero();
      assertThat(disabled.stats().bufferedRuns()).isZero();
      assertThat(disabled.flush(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void pinsOfAPipelineRunWithoutARouteAreNotAnAttribute() {
    List<JournalEntry> entries =
        List.of(
            new JournalEntry(
                "run_x",
                0,
                Journals.T0,
                new JournalEvent.RunStarted(
                    "gateway",
                    "embeddings",
                    "openai",
                    "acme",
                    "embed",
                    false,
                    Pins.pipeline("cfg", null),
                    null)),
            new JournalEntry(
                "run_x",
                1,
                Journals.T0,
                new JournalEvent.RunFailed("rejected", 503, "all breakers open", false, 1)));

    tracer.accept(entries);

    SpanData run = exporter.getFinishedSpanItems().getFirst();
    assertThat(run.getName()).isEqualTo("embeddings embed");
    assertThat(run.getAttributes().asMap().keySet())
        .extracting(k -> k.getKey())
        .doesNotContain("ballast.route.deployments", "gen_ai.provider.name");
  }
}
