package dev.ballast.telemetry.internal;

import java.time.Duration;
import java.util.List;

/**
 * Meter names and tag keys, as Micrometer names them (dots); the Prometheus registry turns dots
 * into underscores and adds unit and {@code _total} suffixes: {@code
 * gen_ai.client.operation.duration} is scraped as {@code gen_ai_client_operation_duration_seconds}.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String RUN_COST = "ballast.run.cost.usd";
  public static final String RUNS = "ballast.runs";
  public static final String STAGE_OUTCOMES = "ballast.stage.outcomes";
  public static final String STAGE_DURATION = "ballast.stage.duration";
  public static final String BREAKER_TRANSITIONS = "ballast.breaker.transitions";

  public static final String BREAKER_STATE = "ballast.breaker.state";
  public static final String RETRY_BUDGET_REMAINING = "ballast.retry.budget.remaining";
  public static final String QUEUE_RUNS = "ballast.queue.runs";
  public static final String QUEUE_OLDEST_READY_AGE = "ballast.queue.oldest.ready.age";
  public static final String QUEUE_LEASE_RECLAIMS = "ballast.queue.lease.reclaims";
  public static final String JOURNAL_QUEUE_SIZE = "ballast.journal.queue.size";
  public static final String JOURNAL_SPOOL_PENDING = "ballast.journal.spool.pending";
  public static final String JOURNAL_SPOOLED = "ballast.journal.spooled";
  public static final String JOURNAL_WRITTEN = "ballast.journal.written";
  public static final String JOURNAL_FAILED_BATCHES = "ballast.journal.failed.batches";
  public static final String TRACER_BUFFERED_RUNS = "ballast.telemetry.runs.buffered";
  public static final String TRACER_DROPPED_RUNS = "ballast.telemetry.runs.dropped";
  public static final String TRACER_EXPIRED_RUNS = "ballast.telemetry.runs.expired";
  public static final String TRACER_SPANS = "ballast.telemetry.spans";

  public static final String TAG_OPERATION = "gen_ai.operation.name";
  public static final String TAG_PROVIDER = "gen_ai.provider.name";
  public static final String TAG_REQUEST_MODEL = "gen_ai.request.model";
  public static final String TAG_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String TAG_TOKEN_TYPE = "gen_ai.token.type";
  public static final String TAG_ERROR_TYPE = "error.type";
  public static final String TAG_TENANT = "tenant";
  public static final String TAG_MODEL = "model";
  public static final String TAG_KIND = "kind";
  public static final String TAG_OPERATION_SHORT = "operation";
  public static final String TAG_STATUS = "status";
  public static final String TAG_PIPELINE = "pipeline";
  public static final String TAG_STAGE = "stage";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_DEPLOYMENT = "deployment";
  public static final String TAG_STATE = "state";
  public static final String TAG_SCOPE = "scope";

  /**
   * The bucket boundaries the GenAI conventions give for {@code gen_ai.client.operation.duration}.
   */
  public static final List<Duration> DURATION_BUCKETS =
      List.of(
              0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
              81.92)
          .stream()
          .map(seconds -> Duration.ofNanos(Math.round(seconds * 1e9)))
          .toList();

  /** The bucket boundaries the GenAI conventions give for {@code gen_ai.client.token.usage}. */
  public static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** The circuit-breaker states as journaled (the wire names of the resilience module's enum). */
  public static final List<String> BREAKER_STATES =
      List.of("closed", "open", "half_open", "disabled", "metrics_only", "forced_open");
}
