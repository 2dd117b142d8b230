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
 * @param keyAccount the managed key's own limits, or null (see {@link ModelCall#keyAccount})
 */
public record EmbedCall(
    TenantConfig tenant,
    EmbeddingRequest request,
    Deadline deadline,
    Priority priority,
    Origin origin,
    RunRecorder run,
    TenantConfig keyAccount)
    implements ModelCall {
  public EmbedCall {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(run, "run");
  }

  /** A call counted against its tenant's limits only. */
  public EmbedCall(
      TenantConfig tenant,
      EmbeddingRequest request,
      Deadline deadline,
      Priority priority,
      Origin origin,
      RunRecorder run) {
    this(tenant, request, deadline, priority, origin, run, null);
  }
}
