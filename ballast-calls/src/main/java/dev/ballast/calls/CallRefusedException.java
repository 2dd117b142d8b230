package dev.ballast.calls;

import dev.ballast.core.BallastException;
import java.time.Duration;
import java.util.Optional;

/**
 * A model call the chain refused, or could not place, for a reason of its own rather than a
 * provider's answer: the model is unknown, the tenant is over a limit or its budget, or no
 * deployment can take the call now. A provider's failure is a {@link
 * dev.ballast.core.ProviderException} instead. What a client is answered with, and what a pipeline
 * stage makes of a refusal, is decided in one table, {@link CallFailures}.
 */
public abstract sealed class CallRefusedException extends BallastException
    permits UnknownModelException,
        NoDeploymentAvailableException,
        TenantLimitExceededException,
        BudgetExceededException,
        LimitsUnavailableException {
  private final Duration retryAfter;

  CallRefusedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** When trying again may succeed, if the chain knows. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
