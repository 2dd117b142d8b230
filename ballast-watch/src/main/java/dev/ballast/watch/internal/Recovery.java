package dev.ballast.watch.internal;

/**
 * The last {@code size} observations since an alarm, as hits (an observation on the bad side of the
 * reference) and misses. An alert resolves once the window is full and the hits are few enough that
 * the series looks like its baseline again. Not thread-safe.
 */
final class Recovery {
  private final boolean[] ring;
  private int next;
  private int filled;
  private int hits;

  Recovery(int size) {
    this.ring = new boolean[size];
  }

  void reset() {
    java.util.Arrays.fill(ring, false);
    next = 0;
    filled = 0;
    hits = 0;
  }

  void add(boolean hit) {
    if (filled == ring.length && ring[next]) {
      hits--;
    }
    ring[next] = hit;
    if (hit) {
      hits++;
    }
    next = (next + 1) % ring.length;
    filled = Math.min(filled + 1, ring.length);
  }

  boolean full() {
    return filled == ring.length;
  }

  int hits() {
    return hits;
  }

  int size() {
    return ring.length;
  }
}
