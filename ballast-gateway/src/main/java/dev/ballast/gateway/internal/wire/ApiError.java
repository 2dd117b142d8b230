package dev.ballast.gateway.internal.wire;

import dev.ballast.calls.CallFailures;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.core.BallastException;

/**
 * An error the gateway answers with, in the client's own error shape. Client mistakes are 4xx and
 * name the problem (and the offending field in {@code param}); they never become a 500.
 *
 * @param type OpenAI's error type ({@code invalid_request_error}, {@code authentication_error},
 *     {@code upstream_format_error}, ...)
 */
public final class ApiError extends BallastException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Long retryAfterSeconds;

  public ApiError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, null);
  }

  public ApiError(
      int status, String type, String code, String param, String message, Long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The client's answer to a failed model call, as {@link CallFailures} describes it. */
  public static ApiError of(FailureAnswer answer) {
    return new ApiError(
        answer.status(),
        answer.type(),
        answer.code(),
        answer.param(),
        answer.message(),
        answer.retryAfterSeconds());
  }

  public static ApiError invalid(String param, String message) {
    return new ApiError(400, "invalid_request_error", "invalid_value", param, message);
  }

  public static ApiError missing(String param) {
    return new ApiError(
        400,
        "invalid_request_error",
        "missing_required_parameter",
        param,
        "Missing required parameter: '" + param + "'.");
  }

  /**
   * A request body the server could not read (broken chunked encoding, a body cut short). The
   * connection is closed after the answer: where the next request would start is unknown.
   */
  public static ApiError malformedBody(String problem) {
    return new ApiError(
        400,
        "invalid_request_error",
        "malformed_body",
        null,
        "The request body could not be read: " + problem + ".");
  }

  /**
   * Whether the connection must close after this answer: after a body that could not be read
   * ({@link #malformedBody}) or was refused as too large, the rest of it is unread, and where the
   * next request would start is unknown.
   */
  public boolean closesConnection() {
    // A draining node wants the client's next request on another node's connection.
    return code.equals("malformed_body")
        || code.equals("request_too_large")
        || code.equals("node_draining");
  }

  public static ApiError wrongType(String param, String expected) {
    return new ApiError(
        400,
        "invalid_request_error",
        "invalid_type",
        param,
        "Invalid type for '" + param + "': expected " + expected + ".");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
