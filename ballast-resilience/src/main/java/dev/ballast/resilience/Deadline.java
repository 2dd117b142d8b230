package dev.ballast.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The point in time by which a whole request must be answered. One per request; every attempt,
 * backoff and wait is measured against it so that no attempt starts that cannot finish in time.
 *
 * <p>Immutable and thread-safe. Time comes from the injected {@link InstantSource}, so tests
 * advance a clock instead of sleeping.
 */
public final class Deadline {
  private final Instant expiresAt;
  private final InstantSource clock;

  private Deadline(Instant expiresAt, InstantSource clock) {
    this.expiresAt = expiresAt;
    this.clock = clock;
  }

  /**
   * A deadline {@code timeout} from now.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static Deadline after(Duration timeout, InstantSource clock) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, but was " + timeout);
    }
    return new Deadline(clock.instant().plus(timeout), clock);
  }

  /** The instant the deadline expires. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Time left until the deadline; {@link Duration#ZERO} once it has passed. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), expiresAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** True once no time is left. */
  public boolean expired() {
    return remaining().isZero();
  }

  /** True if something that takes {@code needed} can start now and still finish in time. */
  public boolean fits(Duration needed) {
    Objects.requireNonNull(needed, "needed");
    return !expired() && remaining().compareTo(needed) >= 0;
  }

  /**
   * The smaller of {@code timeout} and the time left, so one attempt cannot outlive the request.
   */
  public Duration capTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Duration left = remaining();
    return timeout.compareTo(left) <= 0 ? timeout : left;
  }

  @Override
  public String toString() {
    return "Deadline[" + expiresAt + ", remaining " + remaining() + "]";
  }
}
