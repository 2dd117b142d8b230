package dev.ballast.calls;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;

/**
 * What every model call carries, whatever it asks for: who, by when, how urgently, into which run.
 */
public sealed interface ModelCall permits ChatCall, EmbedCall {
  TenantConfig tenant();

  Deadline deadline();

  Priority priority();

  Origin origin();

  /** The journal the call is recorded in, as one run. */
  RunRecorder run();
}
