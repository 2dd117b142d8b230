package dev.ballast.telemetry.internal;

import static dev.ballast.telemetry.internal.MetricNames.*;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunDead;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.telemetry.ProviderCatalog;
import dev.ballast.telemetry.RunSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts what the journal says: provider attempts (duration, tokens, cost), finished runs, stage
 * outcomes and breaker transitions. Not thread-safe: called under {@code BallastMetrics}' lock.
 *
 * <p>Events other than {@code RunStarted} do not say which run kind, operation, tenant or model
 * group they belong to, so the {@code RunStarted} of recent runs is remembered (bounded, least
 * recently used first out). A queued pipeline run's {@code RunStarted} is written by the node that
 * accepted it, often not the worker that executes it: for such a run the pipeline and tenant are
 * read once from the run queue ({@code lookup}, on the journal's listener thread, one primary-key
 * read per run and node) and remembered. An event whose run is still unknown is counted with {@code
 * unknown} in their place.
 */
public final class JournalMeters {
  private static final String UNKNOWN = "unknown";
  private static final RunInfo UNKNOWN_RUN = new RunInfo(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

  private final MeterRegistry registry;
  private final ProviderCatalog providers;
  private final Map<String, RunInfo> runs;
  private final Function<String, Optional<RunSource.QueuedRun>> lookup;

  public JournalMeters(
      MeterRegistry registry,
      ProviderCatalog providers,
      int rememberedRuns,
      Function<String, Optional<RunSource.QueuedRun>> lookup) {
    this.registry = registry;
    this.providers = providers;
    this.lookup = lookup;
    this.runs =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, RunInfo> eldest) {
            return size() > rememberedRuns;
          }
        };
  }

  private record RunInfo(String kind, String operation, String tenant, String model) {}

  public void record(JournalEntry entry) {
    switch (entry.event()) {
      case RunStarted s ->
          runs.put(
              entry.runId(),
              new RunInfo(text(s.kind()), text(s.operation()), text(s.tenant()), text(s.model())));
      case ProviderAttempt a -> attempt(run(entry), a);
      case RunCompleted c -> finished(entry, "succeeded");
      case RunFailed f -> finished(entry, "failed");
      case RunDead d -> finished(entry, "dead");
      case StageCompleted c -> stage(entry, c.stage(), "completed", c.durationMs());
      case StageFailed f -> stage(entry, f.stage(), text(f.next()), f.durationMs());
      case BreakerTransition t ->
          Counter.builder(BREAKER_TRANSITIONS)
              .description("Circuit-breaker state changes, by deployment and the state entered")
              .tags(TAG_DEPLOYMENT, text(t.deployment()), TAG_STATE, text(t.to()))
              .register(registry)
              .increment();
      default -> {}
    }
  }

  private RunInfo run(JournalEntry entry) {
    RunInfo known = runs.get(entry.runId());
    if (known != null) {
      return known;
    }
    if (!RunBuffer.isQueuedRun(entry.runId())) {
      return UNKNOWN_RUN;
    }
    Optional<RunSource.QueuedRun> queued;
    try {
      queued = lookup.apply(entry.runId());
    } catch (RuntimeException e) {
      // The store is unreachable: this event goes unlabelled, a later one asks again.
      return UNKNOWN_RUN;
    }
    RunInfo info =
        queued
            .map(q -> new RunInfo("pipeline", text(q.pipeline()), text(q.tenant()), ""))
            .orElse(new RunInfo("pipeline", UNKNOWN, UNKNOWN, UNKNOWN));
    runs.put(entry.runId(), info);
    return info;
  }

  private void attempt(RunInfo run, ProviderAttempt a) {
    String provider = text(providers.system(a.provider()));
    Tags model =
        Tags.of(
            TAG_OPERATION, run.operation(),
            TAG_PROVIDER, provider,
            TAG_REQUEST_MODEL, text(a.upstreamModel()),
            TAG_RESPONSE_MODEL, text(a.responseModel()));
    Timer.builder(OPERATION_DURATION)
        .description("GenAI operation duration: one call to one deployment")
        .tags(model)
        .tag(TAG_ERROR_TYPE, a.ok() ? "" : text(a.outcome()))
        .serviceLevelObjectives(DURATION_BUCKETS.toArray(Duration[]::new))
        .register(registry)
        .record(Duration.ofNanos(Math.round(a.latencyMs() * 1e6)));
    if (a.usage() != null) {
      tokens(model, "input", a.usage().inputTokens());
      tokens(model, "output", a.usage().outputTokens());
    }
    if (a.cost() > 0) {
      Counter.builder(RUN_COST)
          .description("Provider cost of runs in USD (every attempt, failed ones included)")
          .tags(TAG_TENANT, run.tenant(), TAG_MODEL, run.model())
          .register(registry)
          .increment(a.cost());
    }
  }

  private void tokens(Tags model, String type, int count) {
    DistributionSummary.builder(TOKEN_USAGE)
        .description("Number of input and output tokens used, per provider attempt")
        .tags(model)
        .tag(TAG_TOKEN_TYPE, type)
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry)
        .record(count);
  }

  private void finished(JournalEntry entry, String status) {
    RunInfo run = run(entry);
    String kind = run == UNKNOWN_RUN ? guessKind(entry.runId()) : run.kind();
    Counter.builder(RUNS)
        .description("Finished runs (and resumed pipeline runs finishing again)")
        .tags(TAG_KIND, kind, TAG_OPERATION_SHORT, run.operation(), TAG_STATUS, status)
        .register(registry)
        .increment();
    if (!"pipeline".equals(kind)) {
      // A gateway run is over; a pipeline run may be resumed, and its stages counted again.
      runs.remove(entry.runId());
    }
  }

  private void stage(JournalEntry entry, String stage, String outcome, double durationMs) {
    Tags tags =
        Tags.of(TAG_PIPELINE, run(entry).operation(), TAG_STAGE, text(stage), TAG_OUTCOME, outcome);
    Counter.builder(STAGE_OUTCOMES)
        .description(
            "Ended stage attempts, by outcome: completed, waiting, parked, dead, failed, lost")
        .tags(tags)
        .register(registry)
        .increment();
    Timer.builder(STAGE_DURATION)
        .description("Duration of stage attempts")
        .tags(tags)
        .serviceLevelObjectives(DURATION_BUCKETS.toArray(Duration[]::new))
        .register(registry)
        .record(Duration.ofNanos(Math.round(durationMs * 1e6)));
  }

  private static String guessKind(String runId) {
    return runId.startsWith("prun_") && runId.indexOf('/') < 0 ? "pipeline" : "gateway";
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
