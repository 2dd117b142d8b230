package dev.ballast.watch.internal;

import dev.ballast.core.watch.MinuteAggregate;

/**
 * One minute of one signal as this node saw it: count, sum and sum of squares of the watched values
 * and, for a continuous signal, their histogram. Rewritten to the store whole whenever it changed
 * ({@link #dirty}), so late runs correct the minute instead of adding a second row. Not
 * thread-safe: its series' lock guards it.
 */
final class Accumulator {
  private final LogHistogram histogram;
  private long count;
  private double sum;
  private double sumSquares;
  private boolean dirty;

  Accumulator(boolean continuous) {
    this.histogram = continuous ? new LogHistogram() : null;
  }

  void add(double value) {
    count++;
    sum += value;
    sumSquares += value * value;
    if (histogram != null) {
      histogram.add(value);
    }
    dirty = true;
  }

  boolean dirty() {
    return dirty;
  }

  MinuteAggregate row(long minute, String series, String signal, String node) {
    dirty = false;
    return new MinuteAggregate(
        minute,
        series,
        signal,
        node,
        count,
        sum,
        sumSquares,
        histogram == null ? "" : histogram.encode());
  }
}
