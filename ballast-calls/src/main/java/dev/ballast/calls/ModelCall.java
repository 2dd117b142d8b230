package dev.ballast.calls;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;

/**
 * What every model call carries, whatever it asks for: who, by when, how urgently, into which run.
 */
public sealed interface ModelCall permits ChatCall, EmbedCall {
  TenantConfig tenant();

  /**
   * The managed key's own limits, counted as an account of their own on top of the tenant's ({@link
   * TenantConfig#keyAccount}); null for a key without limits of its own, and for calls no client
   * key made.
   */
  TenantConfig keyAccount();

  Deadline deadline();

  Priority priority();

  Origin origin();

  /** The journal the call is recorded in, as one run. */
  RunRecorder run();
}
