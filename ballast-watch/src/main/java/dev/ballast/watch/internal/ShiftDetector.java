package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings.Detector;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A two-sided CUSUM on a continuous signal's log values, standardized by a robust baseline: z =
 * (log x − median) / (1.4826 × MAD), clipped to ±{@value #Z_MAX} so one wild observation cannot
 * alarm alone. Each side accumulates S = max(0, S ± z − k) and alarms when S exceeds h (the
 * settings' drift and threshold). The onset estimate is the first observation after S last left
 * zero; the run before it is the last good one.
 *
 * <p>An alarmed detector resolves when, over its last {@code recovery} observations, at most half
 * lie beyond the reference k on the alarmed side: the median observation is back within k of the
 * baseline. Not thread-safe: its series' lock guards it.
 */
final class ShiftDetector {
  static final double Z_MAX = 4;

  /** S is capped at this many thresholds so that a recovery drains it in bounded time. */
  private static final double CAP = 2;

  private final SignalSpec spec;
  private final Detector settings;
  private final Side up = new Side(1);
  private final Side down = new Side(-1);
  private final Recovery recovery;
  private Baseline baseline = Baseline.EMPTY;
  private Side alarmed;
  private Evidence opened;
  private double openedLogSum;
  private long openedCount;
  private double sinceOpenLogSum;
  private long sinceOpenCount;

  ShiftDetector(SignalSpec spec, Detector settings) {
    this.spec = spec;
    this.settings = settings;
    this.recovery = new Recovery(settings.recovery());
  }

  /** Takes a new baseline, unless a change may be under way: then the old one is kept. */
  void rebase(Baseline next) {
    if (!frozen()) {
      baseline = next;
    }
  }

  /** True while alarmed or halfway to an alarm: the baseline must not learn the change. */
  boolean frozen() {
    return alarmed != null || Math.max(up.s, down.s) > settings.threshold() / 2;
  }

  boolean alarmed() {
    return alarmed != null;
  }

  Baseline baseline() {
    return baseline;
  }

  Verdict observe(double raw, String runId, Instant at) {
    if (!settings.enabled() || baseline.samples() < settings.minSamples()) {
      return null;
    }
    double log = spec.toLog(raw);
    double z = Math.max(-Z_MAX, Math.min(Z_MAX, (log - baseline.centre()) / baseline.scale()));
    if (spec.direction().up()) {
      up.step(z, log, runId, at);
    }
    if (spec.direction().down()) {
      down.step(-z, log, runId, at);
    }
    if (alarmed == null) {
      Side fired = up.s > settings.threshold() ? up : down.s > settings.threshold() ? down : null;
      if (fired == null) {
        return null;
      }
      alarmed = fired;
      recovery.reset();
      openedLogSum = fired.logSum;
      openedCount = fired.count;
      sinceOpenLogSum = 0;
      sinceOpenCount = 0;
      opened = evidence(openedLogSum, openedCount);
      return Verdict.open(opened);
    }
    sinceOpenLogSum += log;
    sinceOpenCount++;
    recovery.add(alarmed.sign * z > settings.drift());
    if (recovery.full() && recovery.hits() * 2 <= recovery.size()) {
      Evidence last = current();
      alarmed = null;
      up.reset();
      down.reset();
      return Verdict.resolve(last);
    }
    return null;
  }

  /** The numbers of the open alarm now: the onset's runs, the value since the onset. */
  Evidence current() {
    if (alarmed == null) {
      return null;
    }
    Evidence now = evidence(openedLogSum + sinceOpenLogSum, openedCount + sinceOpenCount);
    return new Evidence(
        now.kind(),
        now.severity(),
        now.title(),
        now.baseline(),
        now.current(),
        now.unit(),
        now.samples(),
        opened.onsetAt(),
        opened.lastGoodRun(),
        opened.firstBadRun(),
        now.details());
  }

  private Evidence evidence(double logSum, long count) {
    Side side = alarmed;
    double currentLog = count == 0 ? baseline.centre() : logSum / count;
    double base = spec.fromLog(baseline.centre());
    double now = spec.fromLog(currentLog);
    double ratio = Math.exp(currentLog - baseline.centre());
    boolean critical = ratio >= 2 || ratio <= 0.5;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("statistic", round(side.s));
    details.put("threshold", settings.threshold());
    details.put("drift", settings.drift());
    details.put("baseline_samples", baseline.samples());
    details.put("baseline_scale_log", round(baseline.scale()));
    details.put("ratio", round(ratio));
    String title =
        String.format(
            Locale.ROOT,
            "%s %s ×%.2f (baseline %s %s, now %s)",
            spec.name(),
            side.sign > 0 ? "up" : "down",
            ratio,
            format(base),
            spec.unit(),
            format(now));
    return new Evidence(
        side.sign > 0 ? "shift_up" : "shift_down",
        critical ? Evidence.CRITICAL : Evidence.WARNING,
        title,
        base,
        now,
        spec.unit(),
        count,
        side.onsetAt,
        side.lastGoodRun,
        side.firstBadRun,
        details);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String format(double v) {
    return Math.abs(v) >= 100 || v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  /** One side of the CUSUM with what it remembers of the excursion under way. */
  private final class Side {
    final int sign;
    double s;
    String lastGoodRun;
    String firstBadRun;
    Instant onsetAt;
    double logSum;
    long count;

    Side(int sign) {
      this.sign = sign;
    }

    void step(double z, double log, String runId, Instant at) {
      double next = Math.min(s + z - settings.drift(), CAP * settings.threshold());
      if (next <= 0) {
        s = 0;
        if (alarmed != this) {
          lastGoodRun = runId;
          firstBadRun = null;
          onsetAt = null;
          logSum = 0;
          count = 0;
        }
        return;
      }
      if (firstBadRun == null) {
        firstBadRun = runId;
        onsetAt = at;
      }
      s = next;
      if (alarmed != this) {
        logSum += log;
        count++;
      }
    }

    void reset() {
      s = 0;
      firstBadRun = null;
      onsetAt = null;
      logSum = 0;
      count = 0;
    }
  }
}
