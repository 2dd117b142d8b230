package dev.ballast.telemetry;

import dev.ballast.core.journal.JournalEntry;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracing and metrics behind one journal listener: register it with {@code
 * journalWriter.addListener(telemetry)}, serve {@link BallastMetrics#scrape()} at {@code /metrics},
 * and close it on shutdown to export the last spans. Thread-safe.
 */
public final class BallastTelemetry implements Consumer<List<JournalEntry>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BallastTelemetry.class);

  private final JournalTracer tracer;
  private final BallastMetrics metrics;
  private final JournalSpans spans;

  private BallastTelemetry(JournalTracer tracer, BallastMetrics metrics, JournalSpans spans) {
    this.tracer = tracer;
    this.metrics = metrics;
    this.spans = spans;
  }

  /**
   * Starts the tracer (exporting only when {@link TelemetryConfig#otlpEndpoint()} is set) and the
   * metrics registry, with the tracer's own counters registered as metrics.
   */
  public static BallastTelemetry start(TelemetryConfig config, ProviderCatalog providers) {
    return start(config, providers, null);
  }

  /**
   * Like {@link #start(TelemetryConfig, ProviderCatalog)} on a node sharing a store with others:
   * what one node's journal listener cannot see of a queued pipeline run is read from {@code
   * source} (see {@link RunSource}).
   */
  public static BallastTelemetry start(
      TelemetryConfig config, ProviderCatalog providers, RunSource source) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(providers, "providers");
    JournalTracer tracer = JournalTracer.start(config, providers, source);
    BallastMetrics metrics = BallastMetrics.create(providers, source);
    metrics.registerTracer(tracer);
    return new BallastTelemetry(tracer, metrics, JournalSpans.create(config, providers));
  }

  /** Counts the batch, then files it for tracing; a failure of one does not keep the other out. */
  @Override
  public void accept(List<JournalEntry> batch) {
    try {
      metrics.accept(batch);
    } catch (RuntimeException e) {
      LOG.warn("journal metrics failed: {}", e.toString());
    }
    try {
      tracer.accept(batch);
    } catch (RuntimeException e) {
      LOG.warn("journal tracing failed: {}", e.toString());
    }
  }

  public JournalTracer tracer() {
    return tracer;
  }

  public BallastMetrics metrics() {
    return metrics;
  }

  /** Derives spans on demand, e.g. of a run read back from the store. */
  public JournalSpans spans() {
    return spans;
  }

  @Override
  public void close() {
    tracer.close();
  }
}
