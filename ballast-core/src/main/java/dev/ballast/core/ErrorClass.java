package dev.ballast.core;

/**
 * Every way a provider call can fail, as seen by the resilience chain. The mapping from an error
 * class to what the chain does about it lives in {@link FailureClassification}.
 */
public enum ErrorClass {
  /** 429 from the provider. */
  RATE_LIMITED,
  /** 500, 502, 503, 504. */
  SERVER_ERROR,
  /** The connection was reset or closed before a complete response. */
  CONNECTION_RESET,
  /** The connection could not be established. */
  CONNECTION_REFUSED,
  /** Connect timeout or the total timeout of one attempt elapsed. */
  TIMEOUT,
  /** The provider accepted the request and sent nothing within the first-byte timeout. */
  SILENCE,
  /** Headers arrived but the first token did not arrive within the first-token timeout. */
  SLOW_FIRST_TOKEN,
  /** A stream stopped sending chunks for longer than the idle timeout. */
  STREAM_STALL,
  /** A stream ended before its terminating event. */
  STREAM_TRUNCATED,
  /** 400 because the prompt does not fit the model's context window. */
  CONTEXT_LENGTH,
  /** 400 because the provider's content policy refused the request. */
  CONTENT_POLICY,
  /** 401 or 403: a misconfigured key. */
  AUTH,
  /** 404 for the upstream model or endpoint: a misconfigured deployment. */
  NOT_FOUND,
  /** Any other 4xx: the request itself is wrong and no provider will accept it. */
  BAD_REQUEST,
  /** The response could not be normalized or failed validation. */
  FORMAT_VIOLATION,
  /** The response (or a stream in total) exceeded the provider's {@code max_response_bytes}. */
  UPSTREAM_RESPONSE_TOO_LARGE,
  /**
   * The answer failed one of its model group's output checks ({@code groups.NAME.checks}): empty,
   * too long or short, a refusal, a required pattern missing or a forbidden one present.
   */
  OUTPUT_CHECK_FAILED,
  /**
   * The answering model or system fingerprint is not what the deployment's {@code expect} pins, and
   * the deployment says {@code on_mismatch: fail}.
   */
  MODEL_CHANGED,
  /** The request's own deadline elapsed. */
  DEADLINE_EXCEEDED,
  /** The gateway refused the call before it left (breaker open, bulkhead full, budget). */
  REJECTED;

  /** The lower-case wire name used in journals and error bodies, e.g. {@code rate_limited}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
