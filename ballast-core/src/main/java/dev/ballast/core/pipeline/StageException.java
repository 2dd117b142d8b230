package dev.ballast.core.pipeline;

import dev.ballast.core.BallastException;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import java.util.Optional;

/**
 * A stage attempt failed.
 *
 * @see #retryable()
 */
public class StageException extends BallastException {
  private final String errorClass;
  private final boolean retryable;
  private final ErrorClass failure;
  private final boolean halts;

  /**
   * @param errorClass a short lower-case name for the kind of failure, journaled and shown to
   *     operators, e.g. {@code validation_failed}, {@code http_503}
   * @param retryable false when another attempt cannot succeed (bad input, a schema mismatch): the
   *     run goes to {@code failed} at once
   */
  public StageException(String errorClass, String message, boolean retryable) {
    this(errorClass, message, retryable, null, null);
  }

  public StageException(String errorClass, String message, boolean retryable, Throwable cause) {
    this(errorClass, message, retryable, null, cause);
  }

  private StageException(
      String errorClass, String message, boolean retryable, ErrorClass failure, Throwable cause) {
    this(errorClass, message, retryable, failure, false, cause);
  }

  private StageException(
      String errorClass,
      String message,
      boolean retryable,
      ErrorClass failure,
      boolean halts,
      Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.retryable = retryable;
    this.failure = failure;
    this.halts = halts;
  }

  /**
   * A failure no attempt can fix until an operator acts, e.g. the tenant's spent budget: the run
   * goes to {@code dead} at once, spending no further attempt, and {@code resume} continues it at
   * this stage.
   *
   * @param errorClass the journaled name, e.g. {@code budget_exceeded}
   */
  public static StageException halt(String errorClass, String message, Throwable cause) {
    return new StageException(errorClass, message, false, null, true, cause);
  }

  /**
   * A failure of a dependency the stage calls (a webhook, an internal service), classified in the
   * one failure table like a model call's: another attempt may succeed exactly when the table lets
   * the same deployment be tried again, and the dependency's breaker counts it as the table says.
   *
   * @param errorClass the journaled name, e.g. {@code http_503}
   */
  public static StageException ofDependency(
      ErrorClass failure, String errorClass, String message, Throwable cause) {
    return new StageException(
        errorClass,
        message,
        FailureClassification.of(failure).retrySameDeployment(),
        failure,
        cause);
  }

  public String errorClass() {
    return errorClass;
  }

  public boolean retryable() {
    return retryable;
  }

  /**
   * Whether the run stops as {@code dead} (resumable) rather than {@code failed}: see {@link
   * #halt}.
   */
  public boolean halts() {
    return halts;
  }

  /** The failure table's class of a dependency's failure; empty for the stage's own failures. */
  public Optional<ErrorClass> failure() {
    return Optional.ofNullable(failure);
  }
}
