package dev.ballast.resilience.internal;

import java.time.InstantSource;

/**
 * A deployment's calls and failures over the last {@link #SECONDS} seconds, in one-second buckets:
 * the health signal that orders a route when the breaker has not opened ({@link
 * BreakerDeploymentHealth#failingOften()}). Thread-safe.
 */
final class RecentFailures {
  static final int SECONDS = 10;

  private final InstantSource clock;
  private final long[] second = new long[SECONDS];
  private final int[] calls = new int[SECONDS];
  private final int[] failures = new int[SECONDS];

  RecentFailures(InstantSource clock) {
    this.clock = clock;
  }

  synchronized void record(boolean failed) {
    int i = bucket(clock.millis() / 1000);
    calls[i]++;
    if (failed) {
      failures[i]++;
    }
  }

  /** Calls and failures within the window, as {@code {calls, failures}}. */
  synchronized int[] counts() {
    long now = clock.millis() / 1000;
    int c = 0;
    int f = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (now - second[i] < SECONDS) {
        c += calls[i];
        f += failures[i];
      }
    }
    return new int[] {c, f};
  }

  private int bucket(long now) {
    int i = (int) Math.floorMod(now, SECONDS);
    if (second[i] != now) {
      second[i] = now;
      calls[i] = 0;
      failures[i] = 0;
    }
    return i;
  }
}
