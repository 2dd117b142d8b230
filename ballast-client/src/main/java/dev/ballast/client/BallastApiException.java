package dev.ballast.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The gateway answered with an error status. The fields come from the error body ({@code
 * {"error":{"type","code","param","message"}}}); the message is the gateway's own sentence followed
 * by the status and code, e.g. {@code unknown pipeline "digst" (HTTP 404, unknown_pipeline)}.
 */
public class BallastApiException extends BallastClientException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final String errorMessage;
  private final Duration retryAfter;

  /**
   * @param code null when the body named none
   * @param errorMessage the gateway's message, or a description of the status when the body had
   *     none
   * @param retryAfter the {@code Retry-After} header, or null
   */
  public BallastApiException(
      int status,
      String type,
      String code,
      String param,
      String errorMessage,
      Duration retryAfter) {
    super(errorMessage + " (HTTP " + status + (code == null ? "" : ", " + code) + ")");
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.errorMessage = errorMessage;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status, e.g. 404. */
  public int status() {
    return status;
  }

  /** The error's type, e.g. {@code invalid_request_error}; null when the body named none. */
  public String type() {
    return type;
  }

  /** The machine-readable code, e.g. {@code unknown_pipeline} or {@code not_dead}; may be null. */
  public String code() {
    return code;
  }

  /** The request field the error is about, when the gateway named one. */
  public String param() {
    return param;
  }

  /** The gateway's message without the status and code. */
  public String errorMessage() {
    return errorMessage;
  }

  /** How long the gateway asked the caller to wait (429, 503), when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True for statuses that may succeed when repeated: 429 and 5xx. */
  public boolean transientStatus() {
    return status == 429 || status >= 500;
  }
}
