package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.telemetry.internal.EndedSpan;
import dev.ballast.telemetry.internal.RunBuffer;
import dev.ballast.telemetry.internal.SpanIds;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal listener ({@code JournalWriter.addListener}) that turns every run into spans once it
 * ends and hands them to an OpenTelemetry {@link SpanProcessor}, by default a {@link
 * BatchSpanProcessor} exporting OTLP/HTTP. See {@link JournalSpans} for the spans.
 *
 * <p>On the journal writer's thread, {@link #accept} only files entries and derives the spans of
 * runs that ended (a few microseconds per span); the processor queues them and exports them on its
 * own thread, dropping spans when its queue is full rather than waiting. Unfinished runs are held
 * in bounded memory ({@link TelemetryConfig#maxBufferedRuns()} runs, 100 entries per run on
 * average); beyond it the oldest are dropped and counted in {@link #stats()}. Entries a crash left
 * in the spool are delivered again after restart: those of runs whose earlier entries were stored
 * before the crash never complete here and are eventually dropped; spans of runs seen again get the
 * same ids.
 *
 * <p>Thread-safe. {@link #accept} never throws for a malformed run; it logs and goes on.
 */
public final class JournalTracer implements Consumer<List<JournalEntry>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalTracer.class);
  private static final int ENTRIES_PER_RUN = 100;

  private final JournalSpans spans;
  private final SpanProcessor processor;
  private final RunBuffer buffer;
  private final boolean enabled;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong segments = new AtomicLong();
  private final AtomicLong spanCount = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private JournalTracer(
      TelemetryConfig config, ProviderCatalog providers, SpanProcessor processor, boolean enabled) {
    this.spans = JournalSpans.create(config, providers);
    this.processor = processor;
    this.enabled = enabled;
    this.buffer =
        new RunBuffer(
            config.maxBufferedRuns(),
            (long) config.maxBufferedRuns() * ENTRIES_PER_RUN,
            config.captureContent());
  }

  /**
   * A tracer exporting to {@link TelemetryConfig#otlpEndpoint()} over OTLP/HTTP (protobuf), or one
   * that ignores the journal when no endpoint is configured.
   */
  public static JournalTracer start(TelemetryConfig config, ProviderCatalog providers) {
    if (!config.exportsSpans()) {
      return new JournalTracer(config, providers, SpanProcessor.composite(), false);
    }
    return start(config, providers, otlpExporter(config));
  }

  /** A tracer exporting through {@code exporter} from a {@link BatchSpanProcessor}. */
  public static JournalTracer start(
      TelemetryConfig config, ProviderCatalog providers, SpanExporter exporter) {
    Objects.requireNonNull(exporter, "exporter");
    BatchSpanProcessor processor =
        BatchSpanProcessor.builder(exporter)
            .setExporterTimeout(config.timeout())
            .setScheduleDelay(Duration.ofSeconds(1))
            // Three spans per gateway call at a few thousand calls a second: the SDK's default of
            // 2048 would drop spans between two exports.
            .setMaxQueueSize(16_384)
            .setMaxExportBatchSize(1_024)
            .build();
    return new JournalTracer(config, providers, processor, true);
  }

  /** A tracer handing spans to {@code processor}, which it owns from now on. */
  public static JournalTracer create(
      TelemetryConfig config, ProviderCatalog providers, SpanProcessor processor) {
    return new JournalTracer(config, providers, Objects.requireNonNull(processor), true);
  }

  private static SpanExporter otlpExporter(TelemetryConfig config) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(config.otlpEndpoint().toString())
            .setTimeout(config.timeout());
    config.headers().forEach(builder::addHeader);
    return builder.build();
  }

  /** Files a stored batch; spans of runs it ends go to the processor. */
  @Override
  public void accept(List<JournalEntry> batch) {
    if (!enabled || batch.isEmpty()) {
      return;
    }
    List<SpanData> derived = new ArrayList<>();
    lock.lock();
    try {
      for (RunBuffer.Ready ready : buffer.add(batch)) {
        try {
          derived.addAll(spans.derive(ready.segment(), ready.lineage()));
          segments.incrementAndGet();
        } catch (RuntimeException e) {
          // A journal this code does not understand must not stop tracing of other runs.
          failures.incrementAndGet();
          LOG.warn(
              "spans of run {} could not be derived: {}", ready.segment().runId(), e.toString());
        }
      }
    } finally {
      lock.unlock();
    }
    for (SpanData span : derived) {
      processor.onEnd(new EndedSpan(span));
    }
    spanCount.addAndGet(derived.size());
  }

  /**
   * Joins the trace of a run (and of its model calls, for a pipeline run) to the caller's span, for
   * a run whose spans have not been derived yet. The journal does not record a traceparent, so a
   * run derived later from the store (or after a restart) gets its own trace again.
   *
   * @param traceparent a W3C traceparent header value
   * @throws IllegalArgumentException when {@code traceparent} is not valid
   */
  public void link(String runId, String traceparent) {
    var remote = SpanIds.parseTraceparent(Objects.requireNonNull(traceparent, "traceparent"));
    lock.lock();
    try {
      buffer.link(Objects.requireNonNull(runId, "runId"), remote);
    } finally {
      lock.unlock();
    }
  }

  /** Counters since start. */
  public Stats stats() {
    RunBuffer.Counts counts;
    lock.lock();
    try {
      counts = buffer.counts();
    } finally {
      lock.unlock();
    }
    return new Stats(
        counts.bufferedRuns(),
        counts.bufferedEntries(),
        segments.get(),
        spanCount.get(),
        counts.droppedRuns(),
        counts.droppedEntries(),
        counts.duplicates(),
        failures.get());
  }

  /**
   * Exports every span handed to the processor so far.
   *
   * @return false when {@code timeout} elapsed first or the export failed
   */
  public boolean flush(Duration timeout) {
    return processor.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /** Exports what is queued (waiting up to the export timeout) and stops the processor. */
  @Override
  public void close() {
    processor.shutdown().join(30, TimeUnit.SECONDS);
  }

  /**
   * @param bufferedRuns unfinished runs held now
   * @param bufferedEntries their entries
   * @param segments runs (or run segments) turned into spans
   * @param spans spans handed to the processor
   * @param droppedRuns unfinished runs dropped to stay within memory bounds
   * @param droppedEntries the entries they held
   * @param duplicates entries seen again and ignored
   * @param failures runs whose spans could not be derived
   */
  public record Stats(
      int bufferedRuns,
      long bufferedEntries,
      long segments,
      long spans,
      long droppedRuns,
      long droppedEntries,
      long duplicates,
      long failures) {}
}
