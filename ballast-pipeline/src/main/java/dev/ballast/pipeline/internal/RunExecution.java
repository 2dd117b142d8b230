package dev.ballast.pipeline.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.model.Usage;
import dev.ballast.core.pipeline.Effect;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.queue.FencedOffException;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.queue.StageOutput;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.resilience.DeploymentHealth;
import dev.ballast.resilience.DeploymentUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Executes one lease: the run's stages from the first uncheckpointed one, until the run completes,
 * fails, waits or the lease is lost.
 *
 * <p>Invariants (see {@code docs/pipelines.md}; each has a test):
 *
 * <ol>
 *   <li>A stage's output is checkpointed (fenced) before the next stage starts; a stage whose
 *       checkpoint exists is never executed again, on any node.
 *   <li>Every write of this execution carries the lease's fence; once a write is fenced off or a
 *       heartbeat is refused, the execution writes nothing more and abandons the run.
 *   <li>An effect is recorded in the ledger under a key stable across attempts and workers before
 *       it is applied.
 *   <li>A stage whose dependency's breaker is open is not attempted: the run parks on the
 *       dependency without spending an attempt.
 * </ol>
 */
final class RunExecution {
  final Lease lease;
  final PipelineDefinition definition;
  final JsonNode input;
  final LinkedHashMap<String, JsonNode> outputs = new LinkedHashMap<>();
  final Clock clock;
  private final List<StageHandler> handlers;
  private final EngineCore core;
  private final Heartbeats.Held held;
  final RunJournal journal;
  private final long startedNanos = System.nanoTime();

  /** The built-in stage types that call a model, and so spend the tenant's budget. */
  private static final Set<String> SPENDING_TYPES = Set.of("generate", "embed");

  RunExecution(Lease lease, Registry.Compiled pipeline, EngineCore core, Heartbeats.Held held)
      throws IOException {
    this.lease = lease;
    this.definition = pipeline.definition();
    this.handlers = pipeline.handlers();
    this.core = core;
    this.clock = core.clock;
    this.held = held;
    this.journal = new RunJournal(core.journal, lease.runId(), lease.fence(), clock);
    this.input = Json.mapper().readTree(lease.input());
    for (StageOutput done : lease.completed()) {
      outputs.put(done.stage(), Json.mapper().readTree(done.output()));
    }
  }

  void execute() {
    int stages = definition.stages().size();
    if (lease.stageIndex() < stages && claimsExhausted(definition.stage(lease.stageIndex()))) {
      return;
    }
    for (int i = lease.stageIndex(); i < stages; i++) {
      StageDefinition stage = definition.stage(i);
      int attempt = i == lease.stageIndex() ? lease.attempts() : 1;
      if (!runStage(stage, i, attempt)) {
        return;
      }
    }
    complete();
  }

  /**
   * Every claim counts as an attempt of the stage the run is at, a reclaim after a crash included
   * (docs/queue.md). A claim past the stage's last attempt can only follow claims that ended
   * without a result (a failure of the last attempt makes the run dead), because their workers died
   * or lost the lease; so the run goes dead here rather than run once more: a stage that kills its
   * worker would otherwise take down worker after worker, forever.
   *
   * @return true when the run was moved to dead (or the lease was lost trying)
   */
  private boolean claimsExhausted(StageDefinition stage) {
    int index = lease.stageIndex();
    int attempts = lease.attempts();
    if (attempts <= stage.policy().retry().maxAttempts()) {
      return false;
    }
    String message =
        "stage "
            + stage.name()
            + " was claimed "
            + attempts
            + " times without finishing; the workers that ran it crashed or lost their lease";
    fail(stage, index, attempts, Failure.of("attempts_exhausted", message, true, null), 0);
    return true;
  }

  /**
   * How long the run waited in the queue before this stage: for the lease's first stage, from when
   * the run became claimable (enqueued, retry due, resumed, lease expired) to now; later stages of
   * the same lease follow without waiting. 0 when the store does not know.
   */
  private double queueWaitMs(int index) {
    if (index != lease.stageIndex() || lease.readyAt() == null) {
      return 0;
    }
    long micros = java.time.Duration.between(lease.readyAt(), clock.instant()).toNanos() / 1_000;
    return Math.max(0, micros) / 1_000.0;
  }

  /** Runs one stage; true when its output is checkpointed and the run goes on. */
  private boolean runStage(StageDefinition stage, int index, int attempt) {
    if (held.lost) {
      lost(stage, index, attempt, "lease lost before the stage started", 0);
      return false;
    }
    if (!admitted(stage, index, attempt)) {
      return false;
    }
    String dependency = stage.policy().dependency();
    DeploymentHealth.Permit permit = null;
    if (dependency != null) {
      try {
        permit = core.dependencies.of(dependency).acquire();
      } catch (DeploymentUnavailableException e) {
        Duration wait = e.retryAfter().orElse(core.dependencies.config().waitInOpenState());
        park(
            stage,
            index,
            attempt,
            Failure.park(dependency, clock.instant().plus(wait), e.getMessage()),
            0);
        return false;
      }
    }
    journal.append(
        new JournalEvent.StageStarted(
            stage.name(), index, attempt, lease.workerId(), lease.fence(), queueWaitMs(index)));
    long t0 = System.nanoTime();
    Object outcome = attempt(stage, index, attempt);
    Duration latency = Duration.ofNanos(System.nanoTime() - t0);
    double ms = latency.toNanos() / 1e6;
    if (outcome instanceof JsonNode output) {
      if (permit != null) {
        permit.onSuccess(latency);
      }
      return checkpoint(stage, index, attempt, output, ms);
    }
    Failure failure = (Failure) outcome;
    if (permit != null) {
      if (failure.breakerClass() != null) {
        permit.onFailure(failure.breakerClass(), latency, failure.retryAfter());
      } else {
        permit.release();
      }
    }
    if (failure.lostLease() || held.lost) {
      lost(stage, index, attempt, failure.message(), ms);
    } else if (failure.parkOn() != null) {
      park(stage, index, attempt, failure, ms);
    } else {
      fail(stage, index, attempt, failure, ms);
    }
    return false;
  }

  /**
   * A stage that calls a model starts only while its tenant's budget has room: a run that meets a
   * spent budget stops here, at the stage boundary, and goes to {@code dead} with {@code
   * budget_exceeded}, its earlier stages checkpointed; a resume continues it at this stage.
   *
   * @return false when the run was stopped
   */
  private boolean admitted(StageDefinition stage, int index, int attempt) {
    if (core.modelCalls == null || !SPENDING_TYPES.contains(stage.type())) {
      return true;
    }
    try {
      core.modelCalls.requireBudget(lease.tenant());
      return true;
    } catch (StageException e) {
      fail(stage, index, attempt, Failure.classify(e, null, clock.instant()), 0);
      return false;
    }
  }

  /** Runs the handler on its own virtual thread, abandoning it at the stage's timeout. */
  private Object attempt(StageDefinition stage, int index, int attempt) {
    Duration timeout = stage.policy().timeout();
    Instant deadline = clock.instant().plus(timeout);
    Context context =
        new Context(this, stage, index, attempt, deadline, name -> effect(stage, name));
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    StageHandler handler = handlers.get(index);
    Thread thread =
        Thread.ofVirtual()
            .name("stage-" + stage.name() + "-" + lease.runId())
            .unstarted(
                () -> {
                  try {
                    JsonNode out = handler.execute(context);
                    result.complete(out == null ? NullNode.getInstance() : out);
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                });
    held.attemptThread = thread;
    thread.start();
    Instant openUntil = clock.instant().plus(core.dependencies.config().waitInOpenState());
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      return Failure.of(
          "timeout",
          "stage " + stage.name() + " did not finish within its timeout of " + timeout,
          true,
          dev.ballast.core.ErrorClass.TIMEOUT);
    } catch (ExecutionException e) {
      return Failure.classify(e.getCause(), stage.policy().dependency(), openUntil);
    } catch (InterruptedException e) {
      // The engine is stopping past its grace period: abandon the attempt and hand the run back,
      // so another node takes it over at once rather than when the lease lapses. The interrupt
      // is not set again until the hand-back is written: a store call of an interrupted thread
      // may lose its connection.
      thread.interrupt();
      return Failure.handBack(clock.instant());
    } finally {
      held.attemptThread = null;
    }
  }

  private Effect effect(StageDefinition stage, String name) {
    if (held.lost) {
      throw new FencedOffException(
          lease.runId(), lease.fence(), "recordEffect", "the lease was lost");
    }
    String key = lease.runId() + "/" + stage.name() + "/" + name;
    boolean first =
        core.queue.recordEffect(lease.runId(), lease.fence(), stage.name(), key, clock.instant());
    Effect effect = new Effect(key, first);
    journal.append(Context.recorded(stage.name(), effect, name));
    return effect;
  }

  private boolean checkpoint(
      StageDefinition stage, int index, int attempt, JsonNode output, double ms) {
    byte[] bytes = json(output);
    try {
      core.queue.checkpoint(
          lease.runId(), lease.fence(), index, stage.name(), bytes, clock.instant());
    } catch (FencedOffException e) {
      lost(stage, index, attempt, e.getMessage(), ms);
      return false;
    }
    // Later stages see the output as checkpointed, exactly as they would after a takeover that
    // reads it back from the store, whatever node types the handler's tree held.
    outputs.put(stage.name(), Engine.json(bytes));
    core.stagesCompleted.incrementAndGet();
    journal.append(
        new JournalEvent.StageCompleted(
            stage.name(), index, attempt, ms, core.capture.capture(lease.tenant(), bytes)));
    return true;
  }

  /** The placeholders' scope: the run's input, every completed stage's output, the run. */
  JsonNode scope() {
    ObjectNode scope = JsonNodeFactory.instance.objectNode();
    scope.set("input", input);
    ObjectNode stages = scope.putObject("stages");
    outputs.forEach(stages::set);
    ObjectNode r = scope.putObject("run");
    r.put("id", lease.runId());
    r.put("tenant", lease.tenant());
    r.put("pipeline", definition.name());
    r.put("version", definition.version());
    return scope;
  }

  private void complete() {
    JsonNode result;
    try {
      result = definition.runOutput(scope());
    } catch (StageException e) {
      // Only a declared output can fail, naming what it refers to; every stage did complete, so
      // the last one carries the failure, and rerunning it would fail the same way.
      int last = definition.stages().size() - 1;
      fail(
          definition.stage(last),
          last,
          1,
          Failure.of(e.errorClass(), e.getMessage(), false, null),
          0);
      return;
    }
    byte[] bytes = json(result);
    try {
      core.queue.complete(lease.runId(), lease.fence(), bytes, clock.instant());
    } catch (FencedOffException e) {
      core.heartbeats.markLost(held);
      return;
    }
    core.succeeded.incrementAndGet();
    journal.append(
        new JournalEvent.RunCompleted(
            null,
            null,
            null,
            Usage.ZERO,
            0,
            elapsedMs(),
            core.capture.capture(lease.tenant(), bytes)));
  }

  private void fail(StageDefinition stage, int index, int attempt, Failure failure, double ms) {
    Instant now = clock.instant();
    StageFailure next;
    Instant retryAt = null;
    if (failure.halts()) {
      next = StageFailure.dead(stage.name(), failure.errorClass() + ": " + failure.message());
    } else if (!failure.retryable()) {
      next = StageFailure.failed(stage.name(), failure.message());
    } else if (attempt >= stage.policy().retry().maxAttempts()) {
      next = StageFailure.dead(stage.name(), failure.message());
    } else {
      Duration base = stage.policy().retry().backoff(attempt);
      // Equal jitter: half fixed, half random, so retries of many runs spread out.
      long half = base.toMillis() / 2;
      Duration wait = Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
      if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
        wait = failure.retryAfter().get();
      }
      retryAt = now.plus(wait);
      next = StageFailure.retryAt(stage.name(), failure.message(), retryAt);
    }
    try {
      core.queue.fail(lease.runId(), lease.fence(), next, now);
    } catch (FencedOffException e) {
      lost(stage, index, attempt, e.getMessage(), ms);
      return;
    }
    String nextName = next.next().wireName();
    journal.append(
        new JournalEvent.StageFailed(
            stage.name(),
            index,
            attempt,
            failure.errorClass(),
            failure.message(),
            nextName,
            retryAt,
            stage.policy().dependency(),
            ms));
    switch (next.next()) {
      case DEAD -> {
        core.dead.incrementAndGet();
        journal.append(
            new JournalEvent.RunDead(
                stage.name(), failure.errorClass(), failure.message(), elapsedMs()));
      }
      case FAILED ->
          journal.append(
              new JournalEvent.RunFailed(
                  failure.errorClass(), 0, failure.message(), false, elapsedMs()));
      default -> {
        // Waiting: the run continues after its retry instant, on whichever node claims it.
      }
    }
  }

  private void park(StageDefinition stage, int index, int attempt, Failure failure, double ms) {
    Instant now = clock.instant();
    Instant until = failure.parkUntil().isAfter(now) ? failure.parkUntil() : now.plusMillis(1);
    try {
      core.queue.park(lease.runId(), lease.fence(), failure.parkOn(), until, now);
    } catch (FencedOffException e) {
      lost(stage, index, attempt, e.getMessage(), ms);
      return;
    }
    boolean handedBack = Failure.HANDED_BACK.equals(failure.parkOn());
    if (!handedBack) {
      core.parked.incrementAndGet();
    }
    journal.append(
        new JournalEvent.StageFailed(
            stage.name(),
            index,
            attempt,
            failure.errorClass(),
            failure.message(),
            "parked",
            until,
            failure.parkOn(),
            ms));
    if (handedBack) {
      // Written: the engine's stop may interrupt this thread again (see attempt()).
      Thread.currentThread().interrupt();
    }
  }

  private void lost(StageDefinition stage, int index, int attempt, String message, double ms) {
    core.heartbeats.markLost(held);
    // Journaled under this lease's sequence block; it explains a gap, it changes nothing.
    journal.append(
        new JournalEvent.StageFailed(
            stage.name(), index, attempt, "lease_lost", message, "lost", null, null, ms));
  }

  /** Whether the run's tenant keeps content: see {@link Context#capturesContent}. */
  boolean capturesContent() {
    return core.capture.captures(lease.tenant());
  }

  private double elapsedMs() {
    return (System.nanoTime() - startedNanos) / 1e6;
  }

  private static byte[] json(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
