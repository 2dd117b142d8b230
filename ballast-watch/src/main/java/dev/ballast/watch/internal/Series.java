package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.watch.MinuteAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One series ({@code deployment:NAME}, {@code group:NAME}, {@code stage:PIPELINE/STAGE}, {@code
 * tenant:NAME}) and its signals. Every method holds the series' lock: observations arrive on the
 * journal's listener thread, baselines and writes on the ticker's. Verdicts go to {@code
 * proposals}.
 */
final class Series {
  private final String key;
  private final WatchSettings settings;
  private final Consumer<Proposal> proposals;
  private final Map<String, Tracked> signals = new LinkedHashMap<>();
  private final Map<String, IdentityDetector> identities = new LinkedHashMap<>();
  private final Map<String, Map<String, Tracked>> identityRows = new LinkedHashMap<>();

  Series(String key, WatchSettings settings, Consumer<Proposal> proposals) {
    this.key = key;
    this.settings = settings;
    this.proposals = proposals;
  }

  String key() {
    return key;
  }

  synchronized void continuous(String signal, double raw, String runId, Instant at) {
    Tracked t = tracked(signal);
    SignalSpec spec = SignalSpec.of(signal);
    t.record(minute(at), spec.toLog(raw));
    settle(t, t.shift.observe(raw, runId, at), at);
  }

  synchronized void rate(String signal, boolean event, String runId, Instant at) {
    rateLocked(signal, event, runId, at);
  }

  /**
   * A verdict of a pass-or-fail probe (a canary): its failure rate, and {@code streakSignal}, which
   * alarms at a few failures in a row ({@link StreakDetector}).
   */
  synchronized void verdict(
      String rateSignal, String streakSignal, boolean failed, String runId, Instant at) {
    rateLocked(rateSignal, failed, runId, at);
    Tracked t =
        signals.computeIfAbsent(
            streakSignal, s -> new Tracked(s, false, null, null, new StreakDetector(s)));
    Verdict verdict = t.streak.observe(failed, runId, at);
    if (verdict != null) {
      propose(t, verdict);
    }
  }

  /**
   * An outcome: {@code failure_rate}, and each error class's rate. A class's signal starts the
   * first time the class is seen; its baseline counts every outcome of the window as a sample (no
   * event of the class in any of them), so it is armed as soon as the series' failure rate is.
   */
  synchronized void outcome(String errorClass, String runId, Instant at) {
    rateLocked(SignalSpec.FAILURE_RATE, errorClass != null, runId, at);
    String hit = errorClass == null ? null : SignalSpec.errorRate(errorClass);
    if (hit != null && !signals.containsKey(hit)) {
      Tracked t = tracked(hit);
      t.rate.rebase(t.window.rateBaseline(signals.get(SignalSpec.FAILURE_RATE).window));
    }
    for (Tracked t : List.copyOf(signals.values())) {
      if (t.signal.startsWith(SignalSpec.ERROR_RATE_PREFIX)) {
        rateLocked(t.signal, t.signal.equals(hit), runId, at);
      }
    }
  }

  private void rateLocked(String signal, boolean event, String runId, Instant at) {
    Tracked t = tracked(signal);
    t.record(minute(at), event ? 1 : 0);
    settle(t, t.rate.observe(event, runId, at), at);
  }

  /**
   * An answer's identity: {@code kind} is {@code model} or {@code fingerprint}. Values in the
   * baseline are counted per minute ({@code model:VALUE}) for other nodes to learn; a value under
   * alert is not, until it is accepted.
   */
  synchronized void identity(
      String kind, String value, Set<String> accepted, String runId, Instant at) {
    IdentityDetector detector =
        identities.computeIfAbsent(kind, k -> new IdentityDetector(k, settings.identity()));
    Verdict verdict = detector.observe(value, accepted, runId, at);
    if (detector.known(value) && !detector.alarmed()) {
      identityRow(kind, value).record(minute(at), 1);
    }
    if (verdict != null) {
      Tracked t = tracked(kind);
      propose(t, verdict);
    }
  }

  private void settle(Tracked t, Verdict verdict, Instant at) {
    if (verdict == null) {
      return;
    }
    if (verdict.transition() == Verdict.Transition.OPEN) {
      Instant onset = verdict.evidence().onsetAt() == null ? at : verdict.evidence().onsetAt();
      t.window.exclude(minute(onset));
    } else {
      t.window.include(minute(at));
    }
    propose(t, verdict);
  }

  private void propose(Tracked t, Verdict verdict) {
    String alertId = t.alertId;
    if (verdict.transition() == Verdict.Transition.RESOLVE) {
      t.alertId = null;
    }
    proposals.accept(new Proposal(key, t.signal, verdict, alertId));
  }

  /** Adds a settled row of the store to the window; identity rows teach their value. */
  synchronized void ingest(MinuteAggregate row) {
    tracked(row.signal()).window.add(row);
    int colon = row.signal().indexOf(':');
    if (colon > 0) {
      String kind = row.signal().substring(0, colon);
      identities
          .computeIfAbsent(kind, k -> new IdentityDetector(k, settings.identity()))
          .learn(row.signal().substring(colon + 1), row.count());
    }
  }

  /** Reads every detector's baseline from its window, minutes before {@code oldest} dropped. */
  synchronized void rebase(long oldest) {
    Tracked failures = signals.get(SignalSpec.FAILURE_RATE);
    for (Tracked t : signals.values()) {
      t.window.evictBefore(oldest);
      if (t.shift != null) {
        t.shift.rebase(t.window.continuousBaseline());
      } else if (t.rate != null) {
        boolean perClass = t.signal.startsWith(SignalSpec.ERROR_RATE_PREFIX) && failures != null;
        t.rate.rebase(perClass ? t.window.rateBaseline(failures.window) : t.window.rateBaseline());
      }
    }
  }

  synchronized void dirtyRows(String node, long forgetBefore, List<MinuteAggregate> out) {
    for (Tracked t : signals.values()) {
      t.dirtyRows(key, node, out);
      t.forgetBefore(forgetBefore);
    }
  }

  /**
   * The alert this node opened or joined for {@code signal}; its numbers are written again after
   * {@link WatchEngine#UPDATE_EVERY}, and only when they changed.
   */
  synchronized void alertOpened(String signal, String alertId, Instant at) {
    Tracked t = signals.get(signal);
    if (t != null && t.alertId == null && (t.alarmed() || identityAlarmed(signal))) {
      t.alertId = alertId;
      t.lastUpdate = at;
    }
  }

  private boolean identityAlarmed(String signal) {
    IdentityDetector d = identities.get(signal);
    return d != null && d.alarmed();
  }

  /** The current numbers of each alarmed signal with an alert, for an update. */
  synchronized List<Proposal> updates(Instant now, java.time.Duration every) {
    List<Proposal> out = new ArrayList<>();
    for (Tracked t : signals.values()) {
      if (t.alertId == null || t.lastUpdate != null && t.lastUpdate.plus(every).isAfter(now)) {
        continue;
      }
      Evidence e = t.current();
      IdentityDetector identity = identities.get(t.signal);
      if (e == null && identity != null) {
        e = identity.current(now);
      }
      if (e != null && e.samples() != t.lastSamples) {
        t.lastUpdate = now;
        t.lastSamples = e.samples();
        out.add(new Proposal(key, t.signal, new Verdict(null, e), t.alertId));
      }
    }
    return out;
  }

  /** The counts of an identity value ({@code model:VALUE}), without a string per observation. */
  private Tracked identityRow(String kind, String value) {
    Map<String, Tracked> rows = identityRows.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    Tracked row = rows.get(value);
    if (row == null) {
      row = tracked(kind + ":" + value);
      rows.put(value, row);
    }
    return row;
  }

  private Tracked tracked(String signal) {
    return signals.computeIfAbsent(signal, this::newTracked);
  }

  private Tracked newTracked(String signal) {
    if (signal.indexOf(':') > 0 || SignalSpec.identity(signal)) {
      return new Tracked(signal, false, null, null);
    }
    SignalSpec spec = SignalSpec.of(signal);
    WatchSettings.Detector detector = settings.detector(key, signal);
    if (spec.continuous()) {
      return new Tracked(signal, true, new ShiftDetector(spec, detector), null);
    }
    return new Tracked(signal, false, null, new RateDetector(signal, detector, settings.rates()));
  }

  static long minute(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 60);
  }
}
