package dev.ballast.calls;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.util.Objects;

/**
 * One chat call as the chain receives it.
 *
 * @param api the wire format the caller used, journaled as is: {@code openai}, {@code
 *     openai.responses} (or {@code openai.responses.unstored}), {@code openai.completions}, {@code
 *     anthropic}, {@code pipeline}, {@code replay}
 * @param stream where a streamed answer goes; null for a non-streaming call
 * @param run the journal the call is recorded in, as one run
 * @param keyAccount the managed key's own limits, or null (see {@link ModelCall#keyAccount})
 */
public record ChatCall(
    TenantConfig tenant,
    String api,
    ChatRequest request,
    ClientStream stream,
    Deadline deadline,
    Priority priority,
    Origin origin,
    RunRecorder run,
    TenantConfig keyAccount)
    implements ModelCall {
  public ChatCall {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(run, "run");
  }

  /** A call counted against its tenant's limits only. */
  public ChatCall(
      TenantConfig tenant,
      String api,
      ChatRequest request,
      ClientStream stream,
      Deadline deadline,
      Priority priority,
      Origin origin,
      RunRecorder run) {
    this(tenant, api, request, stream, deadline, priority, origin, run, null);
  }
}
