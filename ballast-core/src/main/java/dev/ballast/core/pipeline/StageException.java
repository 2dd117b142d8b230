package dev.ballast.core.pipeline;

import dev.ballast.core.BallastException;

/**
 * A stage attempt failed.
 *
 * @see #retryable()
 */
public class StageException extends BallastException {
  private final String errorClass;
  private final boolean retryable;

  /**
   * @param errorClass a short lower-case name for the kind of failure, journaled and shown to
   *     operators, e.g. {@code validation_failed}, {@code http_503}
   * @param retryable false when another attempt cannot succeed (bad input, a schema mismatch): the
   *     run goes to {@code failed} at once
   */
  public StageException(String errorClass, String message, boolean retryable) {
    super(message);
    this.errorClass = errorClass;
    this.retryable = retryable;
  }

  public StageException(String errorClass, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.retryable = retryable;
  }

  public String errorClass() {
    return errorClass;
  }

  public boolean retryable() {
    return retryable;
  }
}
