package dev.ballast.core.queue;

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
 */
public record NewRun(
    String runId,
    String pipeline,
    String pipelineVersion,
    String tenant,
    int priority,
    byte[] input,
    String idempotencyKey,
    Instant availableAt) {

  public NewRun {
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
