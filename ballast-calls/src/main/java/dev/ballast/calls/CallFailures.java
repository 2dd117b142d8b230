package dev.ballast.calls;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one table of what a failed model call means to whoever made it. A client is answered with
 * {@link #answer}; the HTTP edge renders that in its front door's shape and nothing else decides a
 * status. A pipeline stage, which reacts to error classes, gets {@link #asProviderFailure}: a
 * refusal becomes {@link ErrorClass#REJECTED} when no deployment could take the call (the run parks
 * instead of spending an attempt) and {@link ErrorClass#BAD_REQUEST} otherwise (no retry can fix an
 * unknown model or a spent budget). Both are decided by the exception's type, never by a code
 * string.
 */
public final class CallFailures {
  private CallFailures() {}

  /** What the caller is told; empty for a failure that is not the chain's (a bug: a 500). */
  public static Optional<FailureAnswer> answer(Throwable failure) {
    return switch (failure) {
      case ProviderException e -> Optional.of(provider(e));
      case CallRefusedException e -> Optional.of(refused(e));
      default -> Optional.empty();
    };
  }

  /** The failure a pipeline stage reacts to; a provider's failure is returned as it is. */
  public static ProviderException asProviderFailure(CallRefusedException e) {
    ErrorClass error =
        e instanceof NoDeploymentAvailableException || e instanceof LimitsUnavailableException
            ? ErrorClass.REJECTED
            : ErrorClass.BAD_REQUEST;
    FailureAnswer answer = refused(e);
    Duration retryAfter =
        answer.retryAfterSeconds() == null ? null : Duration.ofSeconds(answer.retryAfterSeconds());
    return new ProviderException(
        error, answer.status(), answer.code(), retryAfter, e.getMessage(), null, e);
  }

  private static FailureAnswer refused(CallRefusedException refusal) {
    return switch (refusal) {
      case UnknownModelException e ->
          new FailureAnswer(
              404, "invalid_request_error", "model_not_found", "model", e.getMessage(), null);
      case BudgetExceededException e ->
          new FailureAnswer(
              402, "insufficient_quota", "budget_exceeded", null, e.getMessage(), null);
      case TenantLimitExceededException e ->
          new FailureAnswer(
              429,
              "rate_limit_error",
              "tenant_" + e.limit().key() + "_exceeded",
              null,
              e.getMessage(),
              e.retryAfter().map(Duration::toSeconds).orElse(null));
      case NoDeploymentAvailableException e -> unavailable(e);
      case LimitsUnavailableException e ->
          new FailureAnswer(503, "server_error", "limits_unavailable", null, e.getMessage(), 1L);
    };
  }

  private static FailureAnswer unavailable(NoDeploymentAvailableException e) {
    Optional<Long> seconds = e.retryAfter().map(d -> Math.max(1, d.toSeconds()));
    return switch (e.reason()) {
      case OVERLOADED ->
          new FailureAnswer(
              429,
              "rate_limit_error",
              "gateway_overloaded",
              null,
              e.getMessage(),
              seconds.orElse(1L));
      // Every deployment is resting after a 429: the honest answer is a 429 with the time left.
      case RATE_LIMITED ->
          new FailureAnswer(
              429,
              "rate_limit_error",
              "upstream_rate_limited",
              null,
              e.getMessage(),
              seconds.orElse(1L));
      case UNAVAILABLE ->
          new FailureAnswer(
              503,
              "upstream_error",
              "no_deployment_available",
              null,
              e.getMessage(),
              seconds.orElse(null));
    };
  }

  private static FailureAnswer provider(ProviderException e) {
    ErrorClass error = e.errorClass();
    int status = FailureClassification.of(error).clientStatus();
    String message = e.getMessage();
    return switch (error) {
      case FORMAT_VIOLATION ->
          new FailureAnswer(
              status,
              "upstream_format_error",
              "format_violation",
              null,
              "The upstream answer failed validation: " + message,
              null);
      case OUTPUT_CHECK_FAILED ->
          new FailureAnswer(
              status,
              "upstream_error",
              "output_check_failed",
              null,
              "No answer passed the model group's output checks: " + message,
              null);
      case MODEL_CHANGED ->
          new FailureAnswer(
              status,
              "upstream_error",
              "model_changed",
              null,
              "No deployment answered from the model it is pinned to: " + message,
              null);
      case RATE_LIMITED ->
          new FailureAnswer(
              status,
              "rate_limit_error",
              "upstream_rate_limited",
              null,
              "Every deployment for this model is rate limited: " + message,
              e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null));
      case CONTEXT_LENGTH ->
          new FailureAnswer(
              status,
              "invalid_request_error",
              "context_length_exceeded",
              "messages",
              message,
              null);
      case CONTENT_POLICY ->
          new FailureAnswer(
              status, "invalid_request_error", "content_policy_violation", null, message, null);
      case BAD_REQUEST ->
          new FailureAnswer(
              status,
              "invalid_request_error",
              "upstream_rejected_request",
              null,
              "The provider rejected the request: " + message,
              null);
      default ->
          new FailureAnswer(
              status,
              "upstream_error",
              error.wireName(),
              null,
              "The upstream provider failed (" + error.wireName() + "): " + message,
              null);
    };
  }
}
