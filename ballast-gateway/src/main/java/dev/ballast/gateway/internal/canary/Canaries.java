package dev.ballast.gateway.internal.canary;

import dev.ballast.calls.ChatCall;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Origin;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEvent.CanaryChecked;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the configured canaries, each once per period across every node sharing the store.
 *
 * <p>Invariant: at most one run of a canary per period in the cluster. Periods are aligned to the
 * epoch ({@code floor(now / every)}), so every node computes the same one; the node that claims the
 * key {@code canary/NAME/PERIOD} in the store's idempotency table runs it, the others see the claim
 * and skip. That table is the lease: a row per key, one claimant per key on SQLite and PostgreSQL
 * alike, kept for a few periods. A node that took the period and died leaves it unrun.
 *
 * <p>A run goes through the model-call chain like any call (routing, breakers, checks, pins), as
 * tenant {@value CanaryConfig#TENANT} with origin {@link Origin#CANARY}: journaled as kind {@code
 * canary}, outside every tenant's limits, budget and run listing. Its verdict is a {@link
 * CanaryChecked} event before its terminal one. Thread-safe.
 */
public final class Canaries implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Canaries.class.getName());
  private static final Duration TICK = Duration.ofMillis(200);
  private static final TenantConfig TENANT = CanaryConfig.TENANT_CONFIG;

  private final List<CanaryConfig> canaries;
  private final ModelCallChain chain;
  private final IdempotencyStore claims;
  private final JournalWriter journal;
  private final Clock clock;
  private final Duration deadline;
  private final CanaryVerdict verdicts;
  private final PipelineCanary pipelines;
  private final Map<String, Instant> lastPeriod = new HashMap<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

  private Canaries(
      BallastConfig config,
      ModelCallChain chain,
      IdempotencyStore claims,
      JournalWriter journal,
      Clock clock,
      Supplier<TextEmbedder> embedder,
      PipelineEngine engine) {
    this.canaries = new ArrayList<>(config.canaries().values());
    this.chain = chain;
    this.claims = claims;
    this.journal = journal;
    this.clock = clock;
    this.deadline = config.resilience().deadline();
    this.verdicts = new CanaryVerdict(embedder);
    this.pipelines =
        engine == null ? null : new PipelineCanary(engine, verdicts, journal::submit, clock);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("ballast-canaries").unstarted(r));
  }

  /**
   * Starts the node's canary timer; with no canaries configured nothing runs.
   *
   * @param embedder the local embedding model, for canaries that compare with a reference
   * @param engine the pipeline engine, for canaries of a pipeline (null: none run on this node)
   */
  public static Canaries start(
      BallastConfig config,
      ModelCallChain chain,
      IdempotencyStore claims,
      JournalWriter journal,
      Clock clock,
      Supplier<TextEmbedder> embedder,
      PipelineEngine engine) {
    Canaries c = new Canaries(config, chain, claims, journal, clock, embedder, engine);
    if (!c.canaries.isEmpty()) {
      c.timer.scheduleWithFixedDelay(c::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
    return c;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The store may be unreachable for a while; the next tick tries again.
      LOG.log(Level.WARNING, "canary scheduling failed: " + e.getMessage(), e);
    }
  }

  /** Claims and starts every canary whose current period this node has not looked at yet. */
  void tick() {
    Instant now = clock.instant();
    for (CanaryConfig canary : canaries) {
      Instant period = periodOf(now, canary.every());
      if (period.equals(lastPeriod.get(canary.name()))) {
        continue;
      }
      lastPeriod.put(canary.name(), period);
      String runId = RunRecorder.newRunId(clock);
      String key = key(canary, period);
      IdempotencyStore.IdempotencyRecord claim =
          claims.claim(
              CanaryConfig.TENANT,
              key,
              "canary",
              runId,
              now,
              keptFor(canary.every()),
              canary.every());
      if (runId.equals(claim.claimedBy())) {
        runs.execute(() -> run(canary, period, runId, key));
      }
    }
  }

  static Instant periodOf(Instant now, Duration every) {
    long ms = every.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), ms) * ms);
  }

  static String key(CanaryConfig canary, Instant period) {
    return "canary/" + canary.name() + "/" + period.toEpochMilli();
  }

  private static Duration keptFor(Duration every) {
    Duration three = every.multipliedBy(3);
    return three.compareTo(Duration.ofMinutes(10)) < 0 ? Duration.ofMinutes(10) : three;
  }

  private void run(CanaryConfig canary, Instant period, String runId, String key) {
    if (canary.pipeline() != null) {
      runPipeline(canary, period, runId, key);
      return;
    }
    CanaryJournal sink = new CanaryJournal(journal::submit);
    CanaryChecked verdict = null;
    int status = 502;
    try {
      ChatResponse answer =
          chain.chat(
              new ChatCall(
                  TENANT,
                  "canary",
                  request(canary),
                  null,
                  Deadline.after(deadline, clock),
                  Priority.BATCH,
                  Origin.CANARY,
                  new RunRecorder(sink, clock, runId, 0)));
      CanaryVerdict.Result result = verdicts.judge(canary.checks(), answer);
      verdict =
          new CanaryChecked(
              canary.name(), period, result.passed(), result.failures(), result.similarity());
      status = 200;
    } catch (RuntimeException e) {
      // The call failed: a failed verdict all the same, so that the canary's series counts it.
      LOG.log(Level.FINE, "canary " + canary.name() + " failed: " + e.getMessage());
      verdict =
          new CanaryChecked(
              canary.name(),
              period,
              false,
              List.of(new OutputCheckFailure(CALL_FAILED, failure(e), true)),
              null);
    } finally {
      sink.end(verdict);
      complete(key, runId, status, verdict);
    }
  }

  private void runPipeline(CanaryConfig canary, Instant period, String runId, String key) {
    CanaryChecked verdict = null;
    try {
      if (pipelines == null) {
        LOG.log(Level.WARNING, "canary " + canary.name() + ": this node runs no pipelines");
        return;
      }
      verdict = pipelines.run(canary, period, runId, key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      complete(key, runId, verdict != null && verdict.passed() ? 200 : 502, verdict);
    }
  }

  /** The rule a canary whose call failed is recorded as failing. */
  static final String CALL_FAILED = "call";

  /** Why the call failed: its error class when it has one, never an answer's text. */
  private static String failure(RuntimeException e) {
    return e instanceof ProviderException p && p.errorClass() != null
        ? "the call failed: " + p.errorClass().wireName()
        : "the call failed: " + e.getClass().getSimpleName();
  }

  private void complete(String key, String runId, int status, CanaryChecked verdict) {
    try {
      byte[] body =
          Json.mapper().writeValueAsBytes(verdict == null ? Map.of("run", runId) : verdict);
      claims.complete(CanaryConfig.TENANT, key, runId, status, body);
    } catch (Exception e) {
      LOG.log(Level.FINE, "canary claim " + key + " not completed: " + e.getMessage());
    }
  }

  private static ChatRequest request(CanaryConfig canary) {
    List<Message> messages = new ArrayList<>();
    if (canary.system() != null) {
      messages.add(Message.text(Role.SYSTEM, canary.system()));
    }
    messages.add(Message.text(Role.USER, canary.input()));
    return ChatRequest.of(canary.group(), messages);
  }

  /** Stops the timer and waits briefly for running canaries, which still need the chain. */
  @Override
  public void close() {
    timer.shutdownNow();
    runs.shutdown();
    try {
      if (!runs.awaitTermination(10, TimeUnit.SECONDS)) {
        runs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runs.shutdownNow();
    }
  }
}
