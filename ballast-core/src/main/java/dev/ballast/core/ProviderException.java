package dev.ballast.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider attempt that did not produce a usable answer. Carries the {@link ErrorClass} that
 * {@link FailureClassification} turns into a decision, plus what the provider said.
 */
public class ProviderException extends BallastException {
  private final ErrorClass errorClass;
  private final int httpStatus;
  private final String providerCode;
  private final Duration retryAfter;
  private final String rawBody;

  public ProviderException(ErrorClass errorClass, String message) {
    this(errorClass, 0, null, null, message, null, null);
  }

  public ProviderException(ErrorClass errorClass, String message, Throwable cause) {
    this(errorClass, 0, null, null, message, null, cause);
  }

  public ProviderException(
      ErrorClass errorClass,
      int httpStatus,
      String providerCode,
      Duration retryAfter,
      String message,
      String rawBody,
      Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.httpStatus = httpStatus;
    this.providerCode = providerCode;
    this.retryAfter = retryAfter;
    this.rawBody = rawBody;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  /** The upstream HTTP status, or 0 when the failure happened below HTTP. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The provider's own error code ({@code context_length_exceeded}), if it sent one. */
  public Optional<String> providerCode() {
    return Optional.ofNullable(providerCode);
  }

  /** The provider's Retry-After, if it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The raw error body as received, for the journal. */
  public Optional<String> rawBody() {
    return Optional.ofNullable(rawBody);
  }
}
