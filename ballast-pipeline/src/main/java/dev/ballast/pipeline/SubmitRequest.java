package dev.ballast.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request to run a pipeline.
 *
 * @param idempotencyKey null for none; submissions with the same key (per tenant and pipeline) are
 *     one run
 * @param priority null for the pipeline's default
 * @param maxQueuedRuns the tenant's quota of runs queued or waiting; 0 for none
 */
public record SubmitRequest(
    String pipeline,
    String tenant,
    JsonNode input,
    String idempotencyKey,
    Integer priority,
    int maxQueuedRuns) {
  public SubmitRequest {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(input, "input");
    if (maxQueuedRuns < 0) {
      throw new IllegalArgumentException(
          "maxQueuedRuns must not be negative, but was " + maxQueuedRuns);
    }
  }

  /** A submission without a queue quota. */
  public SubmitRequest(
      String pipeline, String tenant, JsonNode input, String idempotencyKey, Integer priority) {
    this(pipeline, tenant, input, idempotencyKey, priority, 0);
  }
}
