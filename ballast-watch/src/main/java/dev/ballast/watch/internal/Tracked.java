package dev.ballast.watch.internal;

import dev.ballast.core.watch.MinuteAggregate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One signal of one series on this node: its unwritten minutes, its window of settled minutes, its
 * detector (none for an identity's value counts) and the alert it has open. Not thread-safe: its
 * series' lock guards it.
 */
final class Tracked {
  final String signal;
  final Window window;
  final ShiftDetector shift;
  final RateDetector rate;

  /** For a pass-or-fail probe's streak signal, else null. */
  final StreakDetector streak;

  private final boolean continuous;
  private final Map<Long, Accumulator> minutes = new HashMap<>();
  private long lastMinute;
  private Accumulator last;
  String alertId;
  java.time.Instant lastUpdate;
  long lastSamples = -1;

  Tracked(String signal, boolean continuous, ShiftDetector shift, RateDetector rate) {
    this(signal, continuous, shift, rate, null);
  }

  Tracked(
      String signal,
      boolean continuous,
      ShiftDetector shift,
      RateDetector rate,
      StreakDetector streak) {
    this.signal = signal;
    this.continuous = continuous;
    this.window = new Window(continuous);
    this.shift = shift;
    this.rate = rate;
    this.streak = streak;
  }

  void record(long minute, double value) {
    // Nearly every observation falls in the same minute as the one before it.
    if (minute != lastMinute || last == null) {
      last = minutes.computeIfAbsent(minute, m -> new Accumulator(continuous));
      lastMinute = minute;
    }
    last.add(value);
  }

  /** The rows of minutes that changed since they were last written. */
  void dirtyRows(String series, String node, List<MinuteAggregate> out) {
    for (Map.Entry<Long, Accumulator> e : minutes.entrySet()) {
      if (e.getValue().dirty()) {
        out.add(e.getValue().row(e.getKey(), series, signal, node));
      }
    }
  }

  /** Forgets written minutes before {@code minute}: late runs for them are no longer counted. */
  void forgetBefore(long minute) {
    for (Iterator<Map.Entry<Long, Accumulator>> it = minutes.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Long, Accumulator> e = it.next();
      if (e.getKey() < minute && !e.getValue().dirty()) {
        if (e.getValue() == last) {
          last = null;
        }
        it.remove();
      }
    }
  }

  boolean alarmed() {
    if (streak != null) {
      return streak.alarmed();
    }
    return shift != null ? shift.alarmed() : rate != null && rate.alarmed();
  }

  Evidence current() {
    if (streak != null) {
      return streak.current();
    }
    return shift != null ? shift.current() : rate != null ? rate.current() : null;
  }
}
