package dev.ballast.core;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table that decides what happens after a failed provider attempt. Every component that
 * reacts to a failure (retry, failover, breaker, drift counters, the HTTP status returned to the
 * client) asks this table instead of deciding on its own, so the behaviour documented in the design
 * brief is the behaviour of the code.
 */
public final class FailureClassification {

  /** Where a failed request may go next. */
  public enum Failover {
    /** Any other deployment or fallback group may be tried. */
    ANY,
    /** Only a group declared as the larger-context group may be tried. */
    LARGER_CONTEXT_ONLY,
    /** Nowhere: the failure is the answer. */
    NONE
  }

  /** How an outcome counts against the deployment's circuit breaker. */
  public enum BreakerEffect {
    NONE,
    FAILURE,
    /** The deployment is cooled down until its Retry-After instead of counting a failure. */
    COOLDOWN
  }

  /**
   * What to do with one outcome.
   *
   * @param retrySameDeployment whether one more attempt on the same deployment is allowed (subject
   *     to the retry budget and the deadline)
   * @param failover where the request may go next
   * @param breaker how the outcome counts for the breaker
   * @param alert whether an operator should be told (misconfiguration)
   * @param clientStatus the HTTP status returned to the client when this is the final outcome
   */
  public record Disposition(
      boolean retrySameDeployment,
      Failover failover,
      BreakerEffect breaker,
      boolean alert,
      int clientStatus) {

    /** True when nothing more may be attempted for the request. */
    public boolean terminal() {
      return !retrySameDeployment && failover == Failover.NONE;
    }
  }

  private static final Map<ErrorClass, Disposition> TABLE = new EnumMap<>(ErrorClass.class);

  static {
    row(ErrorClass.RATE_LIMITED, true, Failover.ANY, BreakerEffect.COOLDOWN, false, 429);
    row(ErrorClass.SERVER_ERROR, true, Failover.ANY, BreakerEffect.FAILURE, false, 502);
    row(ErrorClass.CONNECTION_RESET, true, Failover.ANY, BreakerEffect.FAILURE, false, 502);
    row(ErrorClass.CONNECTION_REFUSED, true, Failover.ANY, BreakerEffect.FAILURE, false, 502);
    row(ErrorClass.TIMEOUT, true, Failover.ANY, BreakerEffect.FAILURE, false, 504);
    row(ErrorClass.SILENCE, false, Failover.ANY, BreakerEffect.FAILURE, false, 504);
    row(ErrorClass.SLOW_FIRST_TOKEN, false, Failover.ANY, BreakerEffect.FAILURE, false, 504);
    row(ErrorClass.STREAM_STALL, false, Failover.ANY, BreakerEffect.FAILURE, false, 504);
    row(ErrorClass.STREAM_TRUNCATED, false, Failover.ANY, BreakerEffect.FAILURE, false, 502);
    row(
        ErrorClass.CONTEXT_LENGTH,
        false,
        Failover.LARGER_CONTEXT_ONLY,
        BreakerEffect.NONE,
        false,
        400);
    row(ErrorClass.CONTENT_POLICY, false, Failover.NONE, BreakerEffect.NONE, false, 400);
    row(ErrorClass.AUTH, false, Failover.ANY, BreakerEffect.FAILURE, true, 502);
    row(ErrorClass.NOT_FOUND, false, Failover.ANY, BreakerEffect.FAILURE, true, 502);
    row(ErrorClass.BAD_REQUEST, false, Failover.NONE, BreakerEffect.NONE, false, 400);
    row(ErrorClass.FORMAT_VIOLATION, false, Failover.ANY, BreakerEffect.NONE, false, 502);
    // An answer too large to hold is a broken answer: another deployment may answer sanely.
    row(
        ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE,
        false,
        Failover.ANY,
        BreakerEffect.NONE,
        false,
        502);
    // A failed output check judges one answer, as a format violation does: another deployment may
    // answer acceptably, the same one is not asked again, and the breaker counts nothing.
    row(ErrorClass.OUTPUT_CHECK_FAILED, false, Failover.ANY, BreakerEffect.NONE, false, 502);
    // A deployment answering from another model than the one it is pinned to will keep doing so:
    // the breaker counts it, so traffic stops going there until a probe answers from the pinned
    // model, and an operator is told.
    row(ErrorClass.MODEL_CHANGED, false, Failover.ANY, BreakerEffect.FAILURE, true, 502);
    row(ErrorClass.DEADLINE_EXCEEDED, false, Failover.NONE, BreakerEffect.NONE, false, 504);
    row(ErrorClass.REJECTED, false, Failover.ANY, BreakerEffect.NONE, false, 503);
  }

  private FailureClassification() {}

  private static void row(
      ErrorClass error,
      boolean retry,
      Failover failover,
      BreakerEffect breaker,
      boolean alert,
      int status) {
    TABLE.put(error, new Disposition(retry, failover, breaker, alert, status));
  }

  /** The disposition of an error class; every {@link ErrorClass} has exactly one. */
  public static Disposition of(ErrorClass error) {
    return TABLE.get(error);
  }

  /** Maps an upstream HTTP status (and provider error code, if any) to an error class. */
  public static ErrorClass fromHttpStatus(int status, String providerCode, String message) {
    String code = providerCode == null ? "" : providerCode.toLowerCase(java.util.Locale.ROOT);
    String text = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    if (status == 429) {
      return ErrorClass.RATE_LIMITED;
    }
    if (status == 401 || status == 403) {
      return ErrorClass.AUTH;
    }
    if (status == 404) {
      return ErrorClass.NOT_FOUND;
    }
    if (status == 400 || status == 413 || status == 422) {
      if (code.contains("context_length")
          || text.contains("context length")
          || text.contains("maximum context")
          || text.contains("prompt is too long")
          // Gemini: "The input token count (N) exceeds the maximum number of tokens allowed (M)."
          || text.contains("exceeds the maximum number of tokens")
          // Bedrock: "Input is too long for requested model."
          || text.contains("input is too long")) {
        return ErrorClass.CONTEXT_LENGTH;
      }
      if (code.contains("content_policy")
          || code.contains("content_filter")
          || text.contains("content policy")
          || text.contains("content management policy")
          // Bedrock: "This request has been blocked by our content filters."
          || text.contains("blocked by our content filters")) {
        return ErrorClass.CONTENT_POLICY;
      }
      return ErrorClass.BAD_REQUEST;
    }
    if (status == 408) {
      return ErrorClass.TIMEOUT;
    }
    if (status == 425) {
      // Too Early: the server asks for the same request again later.
      return ErrorClass.SERVER_ERROR;
    }
    if (status >= 500 || status == 529) {
      return ErrorClass.SERVER_ERROR;
    }
    return ErrorClass.BAD_REQUEST;
  }
}
