package dev.ballast.telemetry;

import static dev.ballast.telemetry.internal.MetricNames.*;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriterStats;
import dev.ballast.telemetry.internal.JournalMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus metrics, counted from the journal as a listener ({@code JournalWriter.addListener})
 * and read from gauges the server registers. Scraped as Prometheus text by {@link #scrape()}.
 *
 * <p>From the journal: {@code gen_ai.client.operation.duration} (seconds; one sample per provider
 * attempt; {@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code
 * gen_ai.request.model}, {@code gen_ai.response.model}, {@code error.type}) and {@code
 * gen_ai.client.token.usage} ({@code gen_ai.token.type} {@code input}/{@code output}), both with
 * the conventions' bucket boundaries; {@code ballast_run_cost_usd_total} by tenant and model group;
 * {@code ballast_runs_total} by kind, operation and status; {@code ballast_stage_outcomes_total}
 * and {@code ballast_stage_duration_seconds} by pipeline, stage and outcome; {@code
 * ballast_breaker_transitions_total} by deployment and the state entered. A label the journal does
 * not know is empty, which Prometheus reads as absent.
 *
 * <p>Gauges take suppliers, called at every scrape, so this module needs nothing from the gateway,
 * the queue or the resilience module; they must be cheap and must not block. A supplier that throws
 * reads as NaN. Thread-safe.
 */
public final class BallastMetrics implements Consumer<List<JournalEntry>> {
  /** The content type of {@link #scrape()}'s text, for the {@code /metrics} response. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(BallastMetrics.class);
  private static final int REMEMBERED_RUNS = 100_000;

  private final PrometheusMeterRegistry registry;
  private final JournalMeters meters;
  private final ReentrantLock lock = new ReentrantLock();
  // Function counters hold their source weakly; these keep registered suppliers alive.
  private final List<Object> retained = new CopyOnWriteArrayList<>();

  private BallastMetrics(ProviderCatalog providers, RunSource source) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.meters =
        new JournalMeters(
            registry,
            providers,
            REMEMBERED_RUNS,
            source == null ? runId -> Optional.empty() : source::queuedRun);
  }

  public static BallastMetrics create(ProviderCatalog providers) {
    return create(providers, null);
  }

  /**
   * Metrics that ask {@code source} which pipeline a queued run belongs to when this node did not
   * see it start (null: such runs are labelled {@code unknown}).
   */
  public static BallastMetrics create(ProviderCatalog providers, RunSource source) {
    return new BallastMetrics(Objects.requireNonNull(providers, "providers"), source);
  }

  public static BallastMetrics create() {
    return create(ProviderCatalog.empty());
  }

  /** Counts a stored batch. Never throws: a bad entry is logged and skipped. */
  @Override
  public void accept(List<JournalEntry> batch) {
    lock.lock();
    try {
      for (JournalEntry entry : batch) {
        try {
          meters.record(entry);
        } catch (RuntimeException e) {
          LOG.warn(
              "entry {}#{} could not be counted: {}", entry.runId(), entry.seq(), e.toString());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter. */
  public String scrape() {
    return registry.scrape(CONTENT_TYPE);
  }

  /** The registry, for binders the server adds (JVM, HTTP server, resilience4j). */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * {@code ballast_breaker_state{deployment, state}}: 1 for the state {@code state} reports, 0 for
   * the others ({@code closed}, {@code open}, {@code half_open}, {@code disabled}, {@code
   * metrics_only}, {@code forced_open}).
   */
  public void registerBreakerState(String deployment, Supplier<String> state) {
    for (String candidate : BREAKER_STATES) {
      Gauge.builder(BREAKER_STATE, () -> candidate.equals(read(state)) ? 1 : 0)
          .description("1 for a deployment's current circuit-breaker state, 0 for the others")
          .tags(TAG_DEPLOYMENT, deployment, TAG_STATE, candidate)
          .strongReference(true)
          .register(registry);
    }
  }

  /**
   * {@code ballast_retry_budget_remaining{scope}}: retries the budget would allow now.
   *
   * @param scope a deployment name, or {@code global}
   */
  public void registerRetryBudget(String scope, DoubleSupplier remaining) {
    Gauge.builder(RETRY_BUDGET_REMAINING, () -> read(remaining))
        .description("Retries the retry budget allows now")
        .tags(TAG_SCOPE, scope)
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code ballast_queue_runs{state}}: runs in the store's queue in a state ({@code ready}, {@code
   * waiting}, {@code running}, {@code dead}...). Called at every scrape: pass a cached value if
   * counting costs a query.
   */
  public void registerQueueDepth(String state, LongSupplier runs) {
    Gauge.builder(QUEUE_RUNS, () -> read(runs))
        .description("Runs in the queue, by state")
        .tags(TAG_STATE, state)
        .strongReference(true)
        .register(registry);
  }

  /** {@code ballast_queue_oldest_ready_age_seconds}: how long the oldest ready run has waited. */
  public void registerOldestReadyAge(Supplier<Duration> age) {
    Supplier<Number> millis =
        () -> {
          Duration value = readOrNull(age);
          return value == null ? Double.NaN : value.toNanos() / 1e6;
        };
    TimeGauge.builder(QUEUE_OLDEST_READY_AGE, millis, TimeUnit.MILLISECONDS)
        .description("Age of the oldest run ready to be claimed")
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code ballast_queue_lease_reclaims_total}: leases taken over after their holder went silent.
   */
  public void registerLeaseReclaims(LongSupplier total) {
    counter(QUEUE_LEASE_RECLAIMS, "Leases reclaimed from workers that stopped heartbeating", total);
  }

  /** The journal writer's queue, spool and store counters. */
  public void registerJournal(Supplier<JournalWriterStats> stats) {
    Gauge.builder(JOURNAL_QUEUE_SIZE, () -> stat(stats, s -> s.queued()))
        .description("Journal entries waiting in the writer's queue")
        .strongReference(true)
        .register(registry);
    Gauge.builder(JOURNAL_SPOOL_PENDING, () -> stat(stats, s -> s.pendingSpool()))
        .description("Journal entries in spool files, waiting for the store")
        .strongReference(true)
        .register(registry);
    counter(
        JOURNAL_SPOOLED,
        "Journal entries written to the spool",
        () -> longStat(stats, s -> s.spooled()));
    counter(
        JOURNAL_WRITTEN,
        "Journal entries the store accepted",
        () -> longStat(stats, s -> s.written()));
    counter(
        JOURNAL_FAILED_BATCHES,
        "Journal store calls that failed",
        () -> longStat(stats, s -> s.failedBatches()));
  }

  /** The tracer's buffered runs, dropped runs and exported spans. */
  public void registerTracer(JournalTracer tracer) {
    Gauge.builder(TRACER_BUFFERED_RUNS, () -> tracer.stats().bufferedRuns())
        .description("Unfinished runs the tracer holds")
        .strongReference(true)
        .register(registry);
    counter(
        TRACER_DROPPED_RUNS,
        "Unfinished runs the tracer dropped to bound its memory",
        () -> tracer.stats().droppedRuns());
    counter(
        TRACER_EXPIRED_RUNS,
        "Runs the tracer gave up on: held past their time to live, or ended but incomplete in the"
            + " store",
        () -> tracer.stats().expiredRuns());
    counter(
        TRACER_SPANS,
        "Spans derived from the journal and handed to the exporter",
        () -> tracer.stats().spans());
  }

  private void counter(String name, String description, LongSupplier total) {
    retained.add(total);
    FunctionCounter.builder(name, total, t -> read(t)).description(description).register(registry);
  }

  private static double stat(
      Supplier<JournalWriterStats> stats,
      java.util.function.ToDoubleFunction<JournalWriterStats> field) {
    JournalWriterStats value = readOrNull(stats);
    return value == null ? Double.NaN : field.applyAsDouble(value);
  }

  private static long longStat(
      Supplier<JournalWriterStats> stats,
      java.util.function.ToLongFunction<JournalWriterStats> field) {
    JournalWriterStats value = stats.get();
    return field.applyAsLong(value);
  }

  private static double read(DoubleSupplier supplier) {
    try {
      return supplier.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double read(LongSupplier supplier) {
    try {
      return supplier.getAsLong();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static <T> T readOrNull(Supplier<T> supplier) {
    try {
      return supplier.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String read(Supplier<String> supplier) {
    return readOrNull(supplier);
  }
}
