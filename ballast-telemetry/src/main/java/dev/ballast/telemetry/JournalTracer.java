package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.telemetry.internal.EndedSpan;
import dev.ballast.telemetry.internal.Entries;
import dev.ballast.telemetry.internal.Lineage;
import dev.ballast.telemetry.internal.RunBuffer;
import dev.ballast.telemetry.internal.RunSegment;
import dev.ballast.telemetry.internal.Segments;
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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>On the journal's listener thread, {@link #accept} only files entries and derives the spans of
 * runs that ended (a few microseconds per span); the processor queues them and exports them on its
 * own thread, dropping spans when its queue is full rather than waiting. Unfinished runs are held
 * in bounded memory ({@link TelemetryConfig#maxBufferedRuns()} runs, 100 entries per run on
 * average); beyond it the oldest are dropped and counted in {@link #stats()}. Entries a crash left
 * in the spool are delivered again after restart: those of runs whose earlier entries were stored
 * before the crash never complete here and are eventually dropped; spans of runs seen again get the
 * same ids.
 *
 * <p>With a {@link RunSource} (every node sharing a store has one), a queued pipeline run is not
 * buffered: the node that writes one of its terminal events reads the run's journal from the store
 * on a background thread and derives that segment, so spans do not depend on which node wrote which
 * part of the run. Entries another node has not stored yet are waited for (read again after a
 * growing delay, about half a minute in all); a segment still incomplete then is counted as
 * expired. Any other run held longer than {@link TelemetryConfig#bufferTtl()} is expired too.
 *
 * <p>Thread-safe. {@link #accept} never throws for a malformed run; it logs and goes on.
 */
public final class JournalTracer implements Consumer<List<JournalEntry>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalTracer.class);
  private static final int ENTRIES_PER_RUN = 100;

  /** Delays before each read of a run's journal from the store; about half a minute in all. */
  private static final List<Duration> READS =
      List.of(
          Duration.ZERO,
          Duration.ofMillis(200),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(4),
          Duration.ofSeconds(8),
          Duration.ofSeconds(15));

  private final JournalSpans spans;
  private final SpanProcessor processor;
  private final RunBuffer buffer;
  private final boolean enabled;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong segments = new AtomicLong();
  private final AtomicLong spanCount = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong readsExpired = new AtomicLong();
  private final AtomicLong readsDropped = new AtomicLong();
  private final AtomicInteger reading = new AtomicInteger();
  private final RunSource source;
  private final ScheduledExecutorService reader;
  private final int maxReading;
  private final boolean captureContent;

  private JournalTracer(
      TelemetryConfig config,
      ProviderCatalog providers,
      SpanProcessor processor,
      boolean enabled,
      RunSource source) {
    this.spans = JournalSpans.create(config, providers);
    this.processor = processor;
    this.enabled = enabled;
    this.source = source;
    this.maxReading = config.maxBufferedRuns();
    this.captureContent = config.captureContent();
    this.buffer =
        new RunBuffer(
            config.maxBufferedRuns(),
            (long) config.maxBufferedRuns() * ENTRIES_PER_RUN,
            config.captureContent(),
            source != null,
            config.bufferTtl(),
            System::nanoTime);
    this.reader =
        enabled && source != null
            ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ballast-trace-reader").daemon().factory())
            : null;
  }

  /**
   * A tracer exporting to {@link TelemetryConfig#otlpEndpoint()} over OTLP/HTTP (protobuf), or one
   * that ignores the journal when no endpoint is configured.
   */
  public static JournalTracer start(TelemetryConfig config, ProviderCatalog providers) {
    return start(config, providers, (RunSource) null);
  }

  /**
   * Like {@link #start(TelemetryConfig, ProviderCatalog)}, reading queued pipeline runs from {@code
   * source} (null: buffering them like any run, for a node that sees whole journals).
   */
  public static JournalTracer start(
      TelemetryConfig config, ProviderCatalog providers, RunSource source) {
    if (!config.exportsSpans()) {
      return new JournalTracer(config, providers, SpanProcessor.composite(), false, null);
    }
    return create(config, providers, batchProcessor(config, otlpExporter(config)), source);
  }

  /** A tracer exporting through {@code exporter} from a {@link BatchSpanProcessor}. */
  public static JournalTracer start(
      TelemetryConfig config, ProviderCatalog providers, SpanExporter exporter) {
    Objects.requireNonNull(exporter, "exporter");
    return new JournalTracer(config, providers, batchProcessor(config, exporter), true, null);
  }

  private static SpanProcessor batchProcessor(TelemetryConfig config, SpanExporter exporter) {
    BatchSpanProcessor processor =
        BatchSpanProcessor.builder(exporter)
            .setExporterTimeout(config.timeout())
            .setScheduleDelay(Duration.ofSeconds(1))
            // Three spans per gateway call at a few thousand calls a second: the SDK's default of
            // 2048 would drop spans between two exports.
            .setMaxQueueSize(16_384)
            .setMaxExportBatchSize(1_024)
            .build();
    return processor;
  }

  /** A tracer handing spans to {@code processor}, which it owns from now on. */
  public static JournalTracer create(
      TelemetryConfig config, ProviderCatalog providers, SpanProcessor processor) {
    return create(config, providers, processor, null);
  }

  /**
   * A tracer handing spans to {@code processor}, which it owns from now on, reading queued pipeline
   * runs from {@code source} (or buffering them, when null).
   */
  public static JournalTracer create(
      TelemetryConfig config,
      ProviderCatalog providers,
      SpanProcessor processor,
      RunSource source) {
    return new JournalTracer(config, providers, Objects.requireNonNull(processor), true, source);
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
    RunBuffer.Added added;
    lock.lock();
    try {
      added = buffer.add(batch);
      for (RunBuffer.Ready ready : added.ready()) {
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
    export(derived);
    for (RunBuffer.Ended ended : added.ended()) {
      if (reading.incrementAndGet() > maxReading) {
        reading.decrementAndGet();
        readsDropped.incrementAndGet();
        continue;
      }
      schedule(ended, 0);
    }
  }

  private void export(List<SpanData> derived) {
    for (SpanData span : derived) {
      processor.onEnd(new EndedSpan(span));
    }
    spanCount.addAndGet(derived.size());
  }

  private void schedule(RunBuffer.Ended ended, int read) {
    try {
      reader.schedule(() -> read(ended, read), READS.get(read).toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: the segment is not exported, as for any run unfinished at shutdown.
      reading.decrementAndGet();
    }
  }

  /**
   * Reads the journal of a queued pipeline run from the store and derives the segment that ends at
   * {@code ended}, reading again later while another node's entries of it are not stored yet.
   */
  private void read(RunBuffer.Ended ended, int read) {
    RunSegment segment = null;
    try {
      segment = storedSegment(ended);
    } catch (RuntimeException e) {
      LOG.debug("journal of run {} not readable yet: {}", ended.runId(), e.toString());
    }
    if (segment == null || !segment.ready()) {
      if (read + 1 < READS.size()) {
        schedule(ended, read + 1);
      } else {
        reading.decrementAndGet();
        readsExpired.incrementAndGet();
        LOG.warn(
            "spans of run {} not derived: its journal up to #{} was incomplete in the store",
            ended.runId(),
            ended.seq());
      }
      return;
    }
    try {
      Lineage lineage;
      lock.lock();
      try {
        lineage = buffer.lineageOf(segment);
      } finally {
        lock.unlock();
      }
      export(spans.derive(segment, lineage));
      segments.incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.warn("spans of run {} could not be derived: {}", ended.runId(), e.toString());
    } finally {
      reading.decrementAndGet();
    }
  }

  private RunSegment storedSegment(RunBuffer.Ended ended) {
    List<JournalEntry> entries = source.events(ended.runId());
    if (!captureContent) {
      entries = entries.stream().map(Entries::withoutContent).toList();
    }
    for (RunSegment segment : Segments.split(ended.runId(), entries, null)) {
      if (segment.last().seq() == ended.seq()) {
        return segment;
      }
    }
    return null;
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
        counts.bufferedRuns() + reading.get(),
        counts.bufferedEntries(),
        segments.get(),
        spanCount.get(),
        counts.droppedRuns() + readsDropped.get(),
        counts.droppedEntries(),
        counts.duplicates(),
        failures.get(),
        counts.expiredRuns() + readsExpired.get());
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
    if (reader != null) {
      // Segments this node ended are read before the last export; a read still waiting for
      // another node's entries is given up.
      reader.shutdown();
      try {
        reader.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reader.shutdownNow();
    }
    processor.shutdown().join(30, TimeUnit.SECONDS);
  }

  /**
   * @param bufferedRuns unfinished runs held now, and ended runs whose journal is being read from
   *     the store
   * @param bufferedEntries their entries
   * @param segments runs (or run segments) turned into spans
   * @param spans spans handed to the processor
   * @param droppedRuns unfinished runs dropped to stay within memory bounds
   * @param droppedEntries the entries they held
   * @param duplicates entries seen again and ignored
   * @param failures runs whose spans could not be derived
   * @param expiredRuns runs held longer than their time to live, and ended runs whose journal was
   *     still incomplete in the store after the last read
   */
  public record Stats(
      int bufferedRuns,
      long bufferedEntries,
      long segments,
      long spans,
      long droppedRuns,
      long droppedEntries,
      long duplicates,
      long failures,
      long expiredRuns) {}
}
