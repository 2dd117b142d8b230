package dev.ballast.core;

/**
 * The root of every exception Ballast throws on purpose. Subclasses carry typed context so that
 * callers never have to parse messages; whether a failure is retriable is decided in one place,
 * {@link FailureClassification}, not by catch blocks.
 */
public class BallastException extends RuntimeException {
  public BallastException(String message) {
    super(message);
  }

  public BallastException(String message, Throwable cause) {
    super(message, cause);
  }
}
