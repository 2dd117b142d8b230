package dev.ballast.core.queue;

import dev.ballast.core.state.StatePins;
import java.time.Instant;
import java.util.Objects;

/**
 * A run to enqueue.
 *
 * @param runId unique across the store
 * @param pipelineVersion the content-derived version the run will execute
 * @param priority higher is claimed first
 * @param input the run's input, usually JSON text as UTF-8
 * @param idempotencyKey null for none; unique per (tenant, pipeline)
 * @param availableAt not claimable before this instant
 * @param pins the state versions the run reads, fixed at submission; {@link StatePins#NONE} when it
 *     reads no versioned state
 */
public record NewRun(
    String runId,
    String pipeline,
    String pipelineVersion,
    String tenant,
    int priority,
    byte[] input,
    String idempotencyKey,
    Instant availableAt,
    StatePins pins) {

  /** A run that reads no versioned state. */
  public NewRun(
      String runId,
      String pipeline,
      String pipelineVersion,
      String tenant,
      int priority,
      byte[] input,
      String idempotencyKey,
      Instant availableAt) {
    this(
        runId,
        pipeline,
        pipelineVersion,
        tenant,
        priority,
        input,
        idempotencyKey,
        availableAt,
        StatePins.NONE);
  }

  public NewRun {
    pins = pins == null ? StatePins.NONE : pins;
    requireText(runId, "runId");
    requireText(pipeline, "pipeline");
    requireText(pipelineVersion, "pipelineVersion");
    requireText(tenant, "tenant");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(availableAt, "availableAt");
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey must be null or non-blank, but was blank");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be non-blank, but was \"" + value + "\"");
    }
  }
}
