package dev.ballast.simulator.internal;

import dev.ballast.core.ErrorClass;
import java.time.Duration;

/**
 * A failure the simulator answers with instead of a response.
 *
 * @param retryAfter the Retry-After to send, or null
 */
public record PlannedFailure(int status, Kind kind, Duration retryAfter, String message) {

  /** Why the request fails; each wire format renders the kinds in its own error shape. */
  public enum Kind {
    STATUS,
    CONTEXT_LENGTH,
    CONTENT_POLICY,
    INVALID_SPEC,
    INVALID_REQUEST
  }

  public static PlannedFailure status(int status, Duration retryAfter) {
    return new PlannedFailure(status, Kind.STATUS, retryAfter, defaultMessage(status));
  }

  public static PlannedFailure invalidRequest(Kind kind, String message) {
    return new PlannedFailure(400, kind, null, message);
  }

  /** The name of this outcome in the attempt log. */
  public String logName() {
    return switch (kind) {
      case STATUS -> Integer.toString(status);
      case CONTEXT_LENGTH -> "context_length";
      case CONTENT_POLICY -> "content_policy";
      case INVALID_SPEC -> "invalid_spec";
      case INVALID_REQUEST -> "invalid_request";
    };
  }

  /** How an adapter would classify this failure. */
  public ErrorClass errorClass() {
    return switch (kind) {
      case CONTEXT_LENGTH -> ErrorClass.CONTEXT_LENGTH;
      case CONTENT_POLICY -> ErrorClass.CONTENT_POLICY;
      case INVALID_SPEC, INVALID_REQUEST -> ErrorClass.BAD_REQUEST;
      case STATUS -> classOfStatus(status);
    };
  }

  private static ErrorClass classOfStatus(int status) {
    if (status == 429) {
      return ErrorClass.RATE_LIMITED;
    } else if (status >= 500) {
      return ErrorClass.SERVER_ERROR;
    } else if (status == 401 || status == 403) {
      return ErrorClass.AUTH;
    } else if (status == 404) {
      return ErrorClass.NOT_FOUND;
    }
    return ErrorClass.BAD_REQUEST;
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 429 -> "Rate limit reached for simulated model. Please try again later.";
      case 503, 529 -> "The simulated server is overloaded. Please try again later.";
      case 401 -> "Invalid API key (simulated).";
      case 403 -> "Permission denied (simulated).";
      case 404 -> "The model does not exist (simulated).";
      default -> "Simulated failure with status " + status + ".";
    };
  }
}
