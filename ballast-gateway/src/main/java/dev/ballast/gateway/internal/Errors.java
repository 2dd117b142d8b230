package dev.ballast.gateway.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.ProviderException;
import java.time.Duration;

/**
 * Maps the final provider failure of a run to what the client is told, and back again for the
 * gateway's own callers (pipeline stages), which need the failure table's error class.
 */
final class Errors {
  private Errors() {}

  /** The client's error for a provider failure; the failure stays attached as the cause. */
  static ApiError fromProvider(ProviderException e) {
    ApiError error = describe(e);
    error.initCause(e);
    return error;
  }

  /**
   * The provider failure behind an error the chain answered with: the original one when a provider
   * failed, else the chain's own refusal as an error class. Every deployment skipped (breakers
   * open, cooling down after a 429, bulkheads full) is {@link ErrorClass#REJECTED}, which parks a
   * pipeline run instead of spending an attempt; any other client error is {@link
   * ErrorClass#BAD_REQUEST}, which no retry can fix.
   */
  static ProviderException toProvider(ApiError e) {
    if (e.getCause() instanceof ProviderException provider) {
      return provider;
    }
    ErrorClass error =
        switch (e.code()) {
          case "no_deployment_available", "gateway_overloaded", "upstream_rate_limited" ->
              ErrorClass.REJECTED;
          default -> e.status() >= 500 ? ErrorClass.SERVER_ERROR : ErrorClass.BAD_REQUEST;
        };
    Duration retryAfter =
        e.retryAfterSeconds() == null ? null : Duration.ofSeconds(e.retryAfterSeconds());
    return new ProviderException(error, e.status(), e.code(), retryAfter, e.getMessage(), null, e);
  }

  private static ApiError describe(ProviderException e) {
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
