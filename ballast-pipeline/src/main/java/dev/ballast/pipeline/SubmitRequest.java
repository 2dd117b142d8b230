package dev.ballast.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request to run a pipeline.
 *
 * @param idempotencyKey null for none; submissions with the same key (per tenant and pipeline) are
 *     one run
 * @param priority null for the pipeline's default
 */
public record SubmitRequest(
    String pipeline, String tenant, JsonNode input, String idempotencyKey, Integer priority) {
  public SubmitRequest {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(input, "input");
  }
}
