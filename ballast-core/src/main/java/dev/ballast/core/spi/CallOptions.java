package dev.ballast.core.spi;

import java.util.Objects;

/**
 * How one attempt is made: which upstream model the deployment maps to and the attempt's timeouts
 * (already capped by the request's deadline).
 */
public record CallOptions(String upstreamModel, Timeouts timeouts) {
  public CallOptions {
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    Objects.requireNonNull(timeouts, "timeouts");
  }
}
