package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings.Detector;
import dev.ballast.core.config.WatchSettings.Rates;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Bernoulli CUSUM on a rate: each observation is an event (1) or not (0); the detector weighs the
 * baseline proportion p0 against p1 = max(ratio × p0, p0 + min_increase) by their log-likelihood
 * ratio, S = max(0, S + log(p1/p0)) for an event and S = max(0, S + log((1 − p1)/(1 − p0)))
 * otherwise, and alarms when S exceeds h. Under p0 the expected step is negative, so S keeps
 * returning to zero; Wald's bound puts the mean run between false alarms at no less than e^h
 * observations. p0 is the baseline's (events + ½) / (samples + 1), never below the floor, so a
 * baseline without a single event still leaves room for rare ones.
 *
 * <p>An alarmed detector resolves when, over its last {@code recovery} observations, the event rate
 * is at most halfway between p0 and p1. Not thread-safe: its series' lock guards it.
 */
final class RateDetector {
  private static final double CAP = 2;

  private final String signal;
  private final Detector settings;
  private final Rates rates;
  private final Recovery recovery;
  private Baseline baseline = Baseline.EMPTY;
  private double p0;
  private double p1;
  // The two log-likelihood ratios, computed once per baseline rather than per observation.
  private double eventStep;
  private double quietStep;
  private double s;
  private String lastGoodRun;
  private String firstBadRun;
  private Instant onsetAt;
  private long events;
  private long count;
  private boolean alarmed;
  private Evidence opened;

  RateDetector(String signal, Detector settings, Rates rates) {
    this.signal = signal;
    this.settings = settings;
    this.rates = rates;
    this.recovery = new Recovery(settings.recovery());
  }

  void rebase(Baseline next) {
    if (frozen()) {
      return;
    }
    baseline = next;
    p0 = Math.max(rates.floor(), (next.centre() + 0.5) / (next.samples() + 1));
    p1 = Math.min(0.999, Math.max(rates.ratio() * p0, p0 + rates.minIncrease()));
    eventStep = Math.log(p1 / p0);
    quietStep = Math.log((1 - p1) / (1 - p0));
  }

  boolean frozen() {
    return alarmed || s > settings.threshold() / 2;
  }

  boolean alarmed() {
    return alarmed;
  }

  Verdict observe(boolean event, String runId, Instant at) {
    if (!settings.enabled() || baseline.samples() < settings.minSamples() || p1 <= p0) {
      return null;
    }
    double llr = event ? eventStep : quietStep;
    double next = Math.min(s + llr, CAP * settings.threshold());
    if (next <= 0) {
      s = 0;
      if (!alarmed) {
        lastGoodRun = runId;
        firstBadRun = null;
        onsetAt = null;
        events = 0;
        count = 0;
      }
    } else {
      if (firstBadRun == null) {
        firstBadRun = runId;
        onsetAt = at;
      }
      s = next;
    }
    if (s > 0 || alarmed) {
      count++;
      events += event ? 1 : 0;
    }
    if (!alarmed) {
      if (s <= settings.threshold()) {
        return null;
      }
      alarmed = true;
      recovery.reset();
      opened = evidence();
      return Verdict.open(opened);
    }
    recovery.add(event);
    if (recovery.full() && recovery.hits() <= recovery.size() * (p0 + p1) / 2) {
      Evidence last = current();
      alarmed = false;
      s = 0;
      firstBadRun = null;
      onsetAt = null;
      events = 0;
      count = 0;
      return Verdict.resolve(last);
    }
    return null;
  }

  Evidence current() {
    if (!alarmed) {
      return null;
    }
    Evidence now = evidence();
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

  private Evidence evidence() {
    double rate = count == 0 ? 0 : (double) events / count;
    double observedBase = baseline.samples() == 0 ? 0 : baseline.centre() / baseline.samples();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("statistic", ShiftDetector.round(s));
    details.put("threshold", settings.threshold());
    details.put("p0", p0);
    details.put("p1", p1);
    details.put("events", events);
    details.put("baseline_samples", baseline.samples());
    boolean critical = rate >= 0.1 && rate >= 10 * p0;
    String title =
        String.format(
            Locale.ROOT,
            "%s up: %.2f%% since onset (baseline %.2f%%)",
            signal,
            rate * 100,
            observedBase * 100);
    return new Evidence(
        "rate_up",
        critical ? Evidence.CRITICAL : Evidence.WARNING,
        title,
        observedBase,
        rate,
        "rate",
        count,
        onsetAt,
        lastGoodRun,
        firstBadRun,
        details);
  }
}
