package dev.ballast.watch.internal;

import dev.ballast.core.watch.MinuteAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settled minutes of one signal of one series in the trailing window, every node's rows added
 * up, from which the baseline is read. Minutes during which the signal was alarmed are left out of
 * the baseline (an alert's onset to its resolution), so a degradation is not learnt as normal once
 * it is over. Not thread-safe: its series' lock guards it.
 */
final class Window {
  private final boolean continuous;
  private final TreeMap<Long, Minute> minutes = new TreeMap<>();
  private final List<long[]> excluded = new ArrayList<>();

  Window(boolean continuous) {
    this.continuous = continuous;
  }

  void add(MinuteAggregate row) {
    Minute m = minutes.computeIfAbsent(row.minute(), k -> new Minute(continuous));
    m.count += row.count();
    m.sum += row.sum();
    if (continuous) {
      m.histogram.addAll(LogHistogram.parse(row.histogram()));
    }
  }

  void evictBefore(long minute) {
    minutes.headMap(minute).clear();
    excluded.removeIf(range -> range[1] < minute);
  }

  /** Leaves minutes from {@code minute} on out of the baseline until {@link #include}. */
  void exclude(long minute) {
    excluded.add(new long[] {minute, Long.MAX_VALUE});
  }

  /** Ends the open exclusion: minutes after {@code minute} count again. */
  void include(long minute) {
    for (long[] range : excluded) {
      if (range[1] == Long.MAX_VALUE) {
        range[1] = minute;
      }
    }
  }

  Baseline continuousBaseline() {
    LogHistogram merged = new LogHistogram();
    forIncluded(m -> merged.addAll(m.histogram));
    return Baseline.continuous(merged);
  }

  /** The rate baseline, counting samples in {@code denominator} (e.g. every outcome). */
  Baseline rateBaseline(Window denominator) {
    long[] samples = {0};
    double[] events = {0};
    forIncluded(m -> events[0] += m.sum);
    denominator.minutes.forEach(
        (minute, m) -> {
          if (!isExcluded(minute)) {
            samples[0] += m.count;
          }
        });
    return Baseline.rate(samples[0], events[0]);
  }

  Baseline rateBaseline() {
    return rateBaseline(this);
  }

  /** Observations in the window's included minutes. */
  long total() {
    long[] n = {0};
    forIncluded(m -> n[0] += m.count);
    return n[0];
  }

  private void forIncluded(java.util.function.Consumer<Minute> action) {
    for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
      if (!isExcluded(e.getKey())) {
        action.accept(e.getValue());
      }
    }
  }

  private boolean isExcluded(long minute) {
    for (long[] range : excluded) {
      if (minute >= range[0] && minute <= range[1]) {
        return true;
      }
    }
    return false;
  }

  private static final class Minute {
    final LogHistogram histogram;
    long count;
    double sum;

    Minute(boolean continuous) {
      this.histogram = continuous ? new LogHistogram() : null;
    }
  }
}
