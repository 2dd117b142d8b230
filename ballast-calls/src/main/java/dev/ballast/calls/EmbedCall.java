package dev.ballast.calls;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.util.Objects;

/**
 * One embeddings call as the chain receives it.
 *
 * @param run the journal the call is recorded in, as one run
 */
public record EmbedCall(
    TenantConfig tenant,
    EmbeddingRequest request,
    Deadline deadline,
    Priority priority,
    Origin origin,
    RunRecorder run)
    implements ModelCall {
  public EmbedCall {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(run, "run");
  }
}
