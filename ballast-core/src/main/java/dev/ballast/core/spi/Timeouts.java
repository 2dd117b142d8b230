package dev.ballast.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts of one provider attempt.
 *
 * @param connect establishing the connection
 * @param firstToken from sending the request to the first byte of the body (non-streaming) or the
 *     first content token (streaming)
 * @param idle the longest gap allowed between two stream chunks
 * @param total the whole attempt
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
  public static final Timeouts DEFAULT =
      new Timeouts(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2));

  public Timeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(firstToken, "firstToken");
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(total, "total");
  }

  /** A copy whose total timeout is no longer than {@code remaining}. */
  public Timeouts cappedAt(Duration remaining) {
    return total.compareTo(remaining) <= 0
        ? this
        : new Timeouts(connect, firstToken, idle, remaining);
  }
}
