package dev.ballast.core.spi;

import java.util.Objects;

/**
 * How one attempt is made: which upstream model the deployment maps to, the attempt's timeouts
 * (already capped by the request's deadline) and the W3C {@code traceparent} to send upstream (the
 * attempt's span; null sends none).
 */
public record CallOptions(String upstreamModel, Timeouts timeouts, String traceparent) {
  public CallOptions {
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /** Options without a {@code traceparent}. */
  public CallOptions(String upstreamModel, Timeouts timeouts) {
    this(upstreamModel, timeouts, null);
  }
}
