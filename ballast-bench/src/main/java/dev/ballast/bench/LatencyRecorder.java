package dev.ballast.bench;

import java.util.Arrays;

/** Collects latencies from many threads; percentiles by the nearest-rank method. */
final class LatencyRecorder {
  private long[] nanos = new long[1 << 16];
  private int size;

  synchronized void record(long value) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = value;
  }

  synchronized int count() {
    return size;
  }

  synchronized void reset() {
    size = 0;
  }

  /**
   * The latency at {@code percentile} (0–100) in milliseconds, or NaN when nothing was recorded.
   */
  synchronized double millis(double percentile) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * size));
    return sorted[rank - 1] / 1e6;
  }
}
