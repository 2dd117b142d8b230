package dev.ballast.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Decides how long to wait before retrying the same deployment, or that there is no time to.
 *
 * <p>Thread-safe if the injected {@link RandomGenerator} is (the default one is).
 */
public final class Backoff {
  private final BackoffConfig config;
  private final RandomGenerator random;

  public Backoff(BackoffConfig config, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A backoff with a thread-safe, unseeded random generator. */
  public static Backoff create(BackoffConfig config) {
    // Ask for the current thread's generator on every draw so one Backoff can serve all threads.
    return new Backoff(config, () -> ThreadLocalRandom.current().nextLong());
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first retry), or empty when no retry
   * should start.
   *
   * <p>A provider's Retry-After is honoured exactly when it and the minimum attempt time fit the
   * deadline; when they do not, the answer is empty rather than an earlier retry, because retrying
   * a rate-limited deployment early only earns another 429. Without Retry-After the delay is drawn
   * uniformly from {@code [0, min(cap, base * 2^attempt)]} and shortened, if need be, so that the
   * minimum attempt time still fits: jitter spreads retries out, it is no reason to give up.
   *
   * @throws IllegalArgumentException if {@code attempt} is negative
   */
  public Optional<Duration> delayFor(
      int attempt, Optional<Duration> retryAfter, Deadline deadline) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, but was " + attempt);
    }
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(deadline, "deadline");
    if (retryAfter.isPresent()) {
      Duration wait = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
      return deadline.fits(wait.plus(config.minAttemptTime()))
          ? Optional.of(wait)
          : Optional.empty();
    }
    if (!deadline.fits(config.minAttemptTime())) {
      return Optional.empty();
    }
    Duration jittered = Duration.ofNanos(random.nextLong(ceilingNanos(attempt) + 1));
    Duration latest = deadline.remaining().minus(config.minAttemptTime());
    return Optional.of(jittered.compareTo(latest) <= 0 ? jittered : latest);
  }

  /** {@code min(cap, base * 2^attempt)} in nanoseconds, without overflowing for large attempts. */
  long ceilingNanos(int attempt) {
    long cap = config.cap().toNanos();
    long base = config.base().toNanos();
    if (attempt >= Long.SIZE - 1 || base > (cap >> attempt)) {
      return cap;
    }
    return base << attempt;
  }
}
