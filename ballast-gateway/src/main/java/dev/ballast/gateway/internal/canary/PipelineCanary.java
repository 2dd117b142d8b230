package dev.ballast.gateway.internal.canary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.CanaryChecked;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.model.Usage;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pipeline's canary: submits the canary's input as a run of the pipeline for the reserved tenant
 * (an ordinary durable run, journaled and traced like any), waits for it to end, and judges its
 * output — its text when the output is a JSON string, else its JSON — with the canary's checks. The
 * verdict is journaled in a run of kind {@code canary} of its own, which names the pipeline run in
 * the verdict's failures when it did not succeed; Watch reads it as the canary's series.
 */
final class PipelineCanary {
  private static final Duration POLL = Duration.ofMillis(200);

  /** The longest a canary waits for its run; a slower run fails the period. */
  static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final PipelineEngine engine;
  private final CanaryVerdict verdicts;
  private final Consumer<JournalEntry> journal;
  private final Clock clock;

  PipelineCanary(
      PipelineEngine engine, CanaryVerdict verdicts, Consumer<JournalEntry> journal, Clock clock) {
    this.engine = engine;
    this.verdicts = verdicts;
    this.journal = journal;
    this.clock = clock;
  }

  /** Runs one period's canary under {@code runId}; returns its verdict. */
  CanaryChecked run(CanaryConfig canary, Instant period, String runId, String key)
      throws InterruptedException {
    Instant started = clock.instant();
    journal.accept(
        new JournalEntry(
            runId,
            0,
            started,
            new JournalEvent.RunStarted(
                "canary",
                "pipeline",
                null,
                CanaryConfig.TENANT,
                canary.pipeline(),
                false,
                null,
                null)));
    CanaryChecked verdict;
    try {
      verdict = judge(canary, period, finished(canary, key));
    } catch (RuntimeException | IOException e) {
      verdict = failed(canary, period, "the pipeline run could not be submitted: " + e);
    }
    double ms = Duration.between(started, clock.instant()).toNanos() / 1e6;
    journal.accept(new JournalEntry(runId, 1, clock.instant(), verdict));
    journal.accept(
        new JournalEntry(
            runId,
            2,
            clock.instant(),
            verdict.passed()
                ? new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, ms, null)
                : new JournalEvent.RunFailed(
                    "canary_failed", 200, "the canary's checks failed", false, ms)));
    return verdict;
  }

  /** The run once it ended, or empty when it did not within the wait. */
  private Optional<RunState> finished(CanaryConfig canary, String key)
      throws IOException, InterruptedException {
    JsonNode input = Json.mapper().readTree(canary.input());
    RunState run =
        engine
            .submit(new SubmitRequest(canary.pipeline(), CanaryConfig.TENANT, input, key, null, 0))
            .run();
    Duration wait = canary.every().compareTo(MAX_WAIT) < 0 ? canary.every() : MAX_WAIT;
    Instant until = clock.instant().plus(wait).plus(Duration.ofSeconds(30));
    while (clock.instant().isBefore(until)) {
      Optional<RunState> now = engine.find(run.runId());
      if (now.isPresent() && ended(now.get().state())) {
        return now;
      }
      Thread.sleep(POLL.toMillis());
    }
    return Optional.empty();
  }

  private static boolean ended(QueueState state) {
    return state == QueueState.SUCCEEDED || state == QueueState.FAILED || state == QueueState.DEAD;
  }

  private CanaryChecked judge(CanaryConfig canary, Instant period, Optional<RunState> run) {
    if (run.isEmpty()) {
      return failed(canary, period, "the pipeline run did not end in time");
    }
    RunState state = run.get();
    if (state.state() != QueueState.SUCCEEDED) {
      return failed(
          canary,
          period,
          "pipeline run "
              + state.runId()
              + " ended "
              + state.state().name().toLowerCase(Locale.ROOT)
              + (state.error() == null ? "" : ": " + state.error()));
    }
    JsonNode output = PipelineEngine.json(state.output());
    String text = output == null ? "" : output.isTextual() ? output.asText() : output.toString();
    CanaryVerdict.Result result = verdicts.judge(canary.checks(), text, 0);
    return new CanaryChecked(
        canary.name(), period, result.passed(), result.failures(), result.similarity());
  }

  private static CanaryChecked failed(CanaryConfig canary, Instant period, String reason) {
    return new CanaryChecked(
        canary.name(),
        period,
        false,
        List.of(new OutputCheckFailure(Canaries.CALL_FAILED, reason, true)),
        null);
  }
}
