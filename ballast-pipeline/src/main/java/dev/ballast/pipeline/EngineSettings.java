package dev.ballast.pipeline;

import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.pipeline.spi.ModelCalls;
import dev.ballast.resilience.BreakerConfig;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a {@link PipelineEngine} is built from.
 *
 * @param nodeId names this node in leases and journals; unique among the nodes sharing a store
 * @param runWorkers false for a gateway-only node: it submits and reads runs but executes none
 * @param configVersion pinned by every run submitted here
 * @param journal where run events go; null to journal nothing (benchmarks of the queue alone)
 * @param modelCalls how {@code generate} and {@code embed} stages reach model groups; null when no
 *     pipeline uses them
 * @param dependencyBreaker the breaker each stage dependency gets
 * @param capture what of a tenant's inputs and outputs the journal keeps (all of it by default)
 * @param state the versioned state that {@code retrieve}, {@code assemble_context} and {@code
 *     memory_update} stages read and write, and that runs pin at submission; null when no pipeline
 *     uses it
 */
public record EngineSettings(
    String nodeId,
    RunQueue queue,
    JournalWriter journal,
    List<Pipeline> pipelines,
    WorkersConfig workers,
    boolean runWorkers,
    String configVersion,
    ModelCalls modelCalls,
    BreakerConfig dependencyBreaker,
    ContentCapture capture,
    Clock clock,
    StateServices state) {

  public EngineSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(queue, "queue");
    pipelines = List.copyOf(pipelines);
    Objects.requireNonNull(workers, "workers");
    Objects.requireNonNull(dependencyBreaker, "dependencyBreaker");
    capture = capture == null ? ContentCapture.ALL : capture;
    clock = clock == null ? Clock.systemUTC() : clock;
    configVersion = configVersion == null ? "code" : configVersion;
  }

  /** Settings with defaults for what is not given: no journal, no model calls, system clock. */
  public static EngineSettings of(
      String nodeId, RunQueue queue, List<Pipeline> pipelines, WorkersConfig workers) {
    return new EngineSettings(
        nodeId,
        queue,
        null,
        pipelines,
        workers,
        true,
        null,
        null,
        BreakerConfig.defaults(),
        null,
        null,
        null);
  }

  public EngineSettings withJournal(JournalWriter newJournal) {
    return new EngineSettings(
        nodeId,
        queue,
        newJournal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        modelCalls,
        dependencyBreaker,
        capture,
        clock,
        state);
  }

  public EngineSettings withClock(Clock newClock) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        modelCalls,
        dependencyBreaker,
        capture,
        newClock,
        state);
  }

  public EngineSettings withRunWorkers(boolean run) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        run,
        configVersion,
        modelCalls,
        dependencyBreaker,
        capture,
        clock,
        state);
  }

  public EngineSettings withModelCalls(ModelCalls calls) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        calls,
        dependencyBreaker,
        capture,
        clock,
        state);
  }

  public EngineSettings withDependencyBreaker(BreakerConfig breaker) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        modelCalls,
        breaker,
        capture,
        clock,
        state);
  }

  public EngineSettings withConfigVersion(String version) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        version,
        modelCalls,
        dependencyBreaker,
        capture,
        clock,
        state);
  }

  /** Content as it is for the tenants {@code captured} accepts, none for the others. */
  public EngineSettings withCapture(Predicate<String> captured) {
    return withCapture(ContentCapture.when(captured));
  }

  public EngineSettings withCapture(ContentCapture newCapture) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        modelCalls,
        dependencyBreaker,
        newCapture,
        clock,
        state);
  }

  public EngineSettings withState(StateServices newState) {
    return new EngineSettings(
        nodeId,
        queue,
        journal,
        pipelines,
        workers,
        runWorkers,
        configVersion,
        modelCalls,
        dependencyBreaker,
        capture,
        clock,
        newState);
  }
}
