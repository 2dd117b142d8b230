package dev.ballast.telemetry;

import static dev.ballast.telemetry.Journals.PIPELINE_RUN;
import static dev.ballast.telemetry.Journals.PROVIDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.journal.JournalEntry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A queued pipeline run whose journal several nodes wrote: the node that writes a terminal event
 * reads the rest from the store and derives the segment once; no node holds the run.
 */
class CrossNodeTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final List<JournalEntry> stored = new CopyOnWriteArrayList<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final RunSource store =
      new RunSource() {
        @Override
        public List<JournalEntry> events(String runId) {
          reads.incrementAndGet();
          return stored.stream().filter(e -> e.runId().equals(runId)).toList();
        }

        @Override
        public Optional<QueuedRun> queuedRun(String runId) {
          return Optional.of(new QueuedRun("digest", "acme"));
        }
      };
  private final JournalTracer tracer =
      JournalTracer.create(
          TelemetryConfig.defaults(), PROVIDERS, SimpleSpanProcessor.create(exporter), store);

  @AfterEach
  void close() {
    tracer.close();
  }

  private List<String> names() {
    return exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  @Test
  void theNodeThatEndsARunItNeverSawStartDerivesItOnceFromTheStore() {
    List<JournalEntry> run = Journals.pipelineRun();
    stored.addAll(run);
    List<JournalEntry> workerPart = run.subList(1, run.size());

    // The accepting node sees only the RunStarted; the worker everything else, its terminal twice.
    tracer.accept(run.subList(0, 1));
    assertThat(tracer.stats().bufferedRuns()).isZero();
    tracer.accept(workerPart);
    tracer.accept(workerPart.subList(workerPart.size() - 1, workerPart.size()));

    await().atMost(Duration.ofSeconds(10)).until(() -> !names().isEmpty());
    assertThat(tracer.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(names())
        .containsOnlyOnce("invoke_workflow digest", "stage summarize")
        .contains("stage notify");
    assertThat(reads).hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> tracer.stats().bufferedRuns() == 0);
    assertThat(tracer.stats().duplicates()).isEqualTo(1);
  }

  @Test
  void aStartAnotherNodeHasNotStoredYetIsReadAgainUntilItArrives() {
    List<JournalEntry> run = Journals.pipelineRun();
    stored.addAll(run.subList(1, run.size()));

    tracer.accept(run.subList(1, run.size()));
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 2);
    assertThat(names()).isEmpty();
    assertThat(tracer.stats().bufferedRuns()).as("a read is pending").isEqualTo(1);
    stored.add(run.getFirst());

    await().atMost(Duration.ofSeconds(10)).until(() -> names().contains("invoke_workflow digest"));
    await().atMost(Duration.ofSeconds(5)).until(() -> tracer.stats().bufferedRuns() == 0);
    assertThat(tracer.stats().expiredRuns()).isZero();
    assertThat(exporter.getFinishedSpanItems())
        .filteredOn(s -> s.getName().startsWith("invoke_workflow"))
        .singleElement()
        .satisfies(s -> assertThat(s.getAttributes().asMap().toString()).contains(PIPELINE_RUN));
  }
}
