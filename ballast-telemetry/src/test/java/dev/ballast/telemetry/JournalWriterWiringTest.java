package dev.ballast.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.testkit.PrometheusText;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module wired as the server will wire it: listeners of a real {@link JournalWriter}. */
class JournalWriterWiringTest {
  @TempDir Path spool;

  /** Keeps entries in memory; enough for the writer, which only appends. */
  private static final class MemoryStore implements JournalStore {
    final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void append(List<JournalEntry> batch, Map<String, byte[]> blobs) {
      entries.addAll(batch);
    }

    @Override
    public List<RunSummary> listRuns(RunQuery query) {
      return List.of();
    }

    @Override
    public Optional<RunSummary> findRun(String runId) {
      return Optional.empty();
    }

    @Override
    public List<JournalEntry> events(String runId) {
      return entries.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    @Override
    public Optional<byte[]> blob(String hash) {
      return Optional.empty();
    }
  }

  @Test
  void listenersOfTheJournalWriterTraceAndCountEveryRunItStores() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    BallastMetrics metrics = BallastMetrics.create(Journals.PROVIDERS);
    List<JournalEntry> submitted = new ArrayList<>(Journals.gatewayRunWithFailover());
    submitted.addAll(Journals.pipelineWithModelCallInStoreOrder());
    MemoryStore store = new MemoryStore();
    try (JournalWriter writer = JournalWriter.start(store, JournalWriterConfig.defaults(spool));
        JournalTracer tracer =
            JournalTracer.create(
                TelemetryConfig.defaults(),
                Journals.PROVIDERS,
                SimpleSpanProcessor.create(exporter))) {
      writer.addListener(metrics);
      writer.addListener(tracer);
      metrics.registerJournal(writer::stats);

      submitted.forEach(writer::submit);

      assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(exporter.getFinishedSpanItems())
          .extracting(SpanData::getName)
          .contains("chat default", "invoke_workflow digest", "stage summarize", "stage notify");
      assertThat(tracer.stats().bufferedRuns()).isZero();
      var families = PrometheusText.parse(metrics.scrape());
      assertThat(families.get("ballast_runs_total").samples())
          .extracting(PrometheusText.Sample::value)
          .containsExactlyInAnyOrder(2.0, 1.0);
      assertThat(families.get("ballast_journal_written_total").samples().getFirst().value())
          .isEqualTo(submitted.size());
    }
  }
}
