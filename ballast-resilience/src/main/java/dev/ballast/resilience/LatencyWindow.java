package dev.ballast.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The last {@code capacity} latencies of one deployment (e.g. times to first token), and their
 * quantiles. Thread-safe; recording is O(1), a quantile sorts a copy of at most {@code capacity}
 * samples.
 */
public final class LatencyWindow {
  private final long[] nanos;
  private int next; // guarded by this
  private int size; // guarded by this

  public LatencyWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
    }
    this.nanos = new long[capacity];
  }

  public synchronized void record(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    nanos[next] = Math.max(0, latency.toNanos());
    next = (next + 1) % nanos.length;
    size = Math.min(size + 1, nanos.length);
  }

  public synchronized int size() {
    return size;
  }

  /**
   * The {@code q} quantile (nearest rank) of the window, or empty with fewer than {@code
   * minSamples} samples.
   *
   * @throws IllegalArgumentException if {@code q} is not in (0, 1]
   */
  public Optional<Duration> quantile(double q, int minSamples) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1], but was " + q);
    }
    long[] copy;
    synchronized (this) {
      if (size < Math.max(1, minSamples)) {
        return Optional.empty();
      }
      copy = Arrays.copyOf(nanos, size);
    }
    Arrays.sort(copy);
    int rank = (int) Math.ceil(q * copy.length) - 1;
    return Optional.of(Duration.ofNanos(copy[Math.max(0, rank)]));
  }
}
