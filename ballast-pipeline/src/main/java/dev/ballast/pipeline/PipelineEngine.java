package dev.ballast.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.pipeline.internal.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Executes pipelines as durable runs: submissions go into the store's run queue; this node's
 * workers (unless it is a gateway-only node) claim runs under fenced leases, execute their stages,
 * checkpoint each stage's output before the next, record effects in the ledger, park runs whose
 * dependency is down, and move runs that exhaust their attempts to {@code dead}. Any number of
 * engines may share one store; none ever executes a run another holds.
 *
 * <p>The invariants are written down in {@code docs/pipelines.md}.
 */
public interface PipelineEngine extends AutoCloseable {

  /** Starts an engine; its workers begin claiming at once when {@code settings.runWorkers()}. */
  static PipelineEngine start(EngineSettings settings) {
    return Engine.start(settings);
  }

  /**
   * Submits a run, or returns the run its idempotency key already names.
   *
   * @throws UnknownPipelineException when this node does not define the pipeline
   * @throws dev.ballast.core.queue.QueueQuotaExceededException when the tenant's quota of queued
   *     runs is reached
   */
  Submission submit(SubmitRequest request);

  Optional<RunState> find(String runId);

  List<RunState> list(RunFilter filter);

  /**
   * Resumes a dead run at the stage that failed, with a fresh attempt count.
   *
   * @return false when the run does not exist or is not dead
   */
  boolean resume(String runId);

  /** The pipelines this node defines. */
  List<PipelineDefinition> pipelines();

  Optional<PipelineDefinition> pipeline(String name);

  QueueStats queueStats();

  EngineStats stats();

  /** Decodes a run's stored input or output. */
  static JsonNode json(byte[] bytes) {
    return Engine.json(bytes);
  }

  /**
   * Stops claiming; lets running stages finish for up to {@code grace}, then abandons them (their
   * leases expire and other nodes resume them from their last checkpoint).
   */
  void stop(Duration grace);

  @Override
  void close();
}
