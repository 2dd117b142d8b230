package dev.ballast.gateway.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;

/** Maps the final provider failure of a run to what the client is told. */
final class Errors {
  private Errors() {}

  static ApiError fromProvider(ProviderException e) {
    ErrorClass error = e.errorClass();
    int status = FailureClassification.of(error).clientStatus();
    String message = e.getMessage();
    return switch (error) {
      case FORMAT_VIOLATION ->
          new ApiError(
              status,
              "upstream_format_error",
              "format_violation",
              null,
              "The upstream answer failed validation: " + message);
      case RATE_LIMITED ->
          new ApiError(
              status,
              "rate_limit_error",
              "upstream_rate_limited",
              null,
              "Every deployment for this model is rate limited: " + message,
              e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null));
      case CONTEXT_LENGTH ->
          new ApiError(
              status, "invalid_request_error", "context_length_exceeded", "messages", message);
      case CONTENT_POLICY ->
          new ApiError(status, "invalid_request_error", "content_policy_violation", null, message);
      case BAD_REQUEST ->
          new ApiError(
              status,
              "invalid_request_error",
              "upstream_rejected_request",
              null,
              "The provider rejected the request: " + message);
      default ->
          new ApiError(
              status,
              "upstream_error",
              error.wireName(),
              null,
              "The upstream provider failed (" + error.wireName() + "): " + message);
    };
  }
}
