package dev.ballast.core.limits;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant limit the store keeps usage and leases of (see {@code docs/limits.md}). Requests and
 * tokens are counted per second over a sliding minute; spend, in nano-dollars, forever.
 */
public enum LimitKind {
  REQUESTS(Duration.ofMinutes(1), false),
  TOKENS(Duration.ofMinutes(1), false),
  SPEND(null, true);

  private final Duration window;
  private final boolean lapsedLeasesAreUsed;

  LimitKind(Duration window, boolean lapsedLeasesAreUsed) {
    this.window = window;
    this.lapsedLeasesAreUsed = lapsedLeasesAreUsed;
  }

  /** The sliding window usage is counted over; empty for a limit that never frees up. */
  public Optional<Duration> window() {
    return Optional.ofNullable(window);
  }

  /**
   * Whether a lease that lapsed (its node stopped renewing it, presumably dead) counts as used: for
   * spend, whose node may have spent all of it; a window's lapsed lease is simply forgotten.
   */
  public boolean lapsedLeasesAreUsed() {
    return lapsedLeasesAreUsed;
  }

  /** The name stored in the database, e.g. {@code requests}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Nano-dollars in one US dollar: spend is counted in whole nano-dollars. */
  public static final long NANOS_PER_USD = 1_000_000_000L;

  /** A USD amount in nano-dollars, rounded up so that nothing billed is counted as free. */
  public static long nanoUsd(double usd) {
    if (usd <= 0 || Double.isNaN(usd)) {
      return 0;
    }
    return (long) Math.ceil(Math.min(usd, Long.MAX_VALUE / (double) NANOS_PER_USD) * NANOS_PER_USD);
  }
}
