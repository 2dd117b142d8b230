package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One identity of one deployment, its answering model id or its {@code system_fingerprint}: a new
 * value is an event, not a statistic. The detector learns the values it sees while it warms up
 * ({@code min_samples} answers) and those read from the store; after that, the first answer with a
 * value it has never seen opens an alert at once, as does any answer that contradicts the expected
 * value. The alert resolves after {@code min_samples} answers in a row with known (or expected)
 * values, or, with no expectation, once the new value has stood for {@code accept_after}: it is
 * then learnt as the new normal. Not thread-safe: its series' lock guards it.
 */
final class IdentityDetector {
  static final String NONE = "(none)";

  private final String kind;
  private final Identity settings;
  private final Map<String, Long> known = new LinkedHashMap<>();
  private long knownSamples;
  private String lastGoodRun;
  private Alarm alarm;

  IdentityDetector(String kind, Identity settings) {
    this.kind = kind;
    this.settings = settings;
  }

  /** Whether {@code value} is part of the baseline; only those are written to the store. */
  boolean known(String value) {
    return known.containsKey(value);
  }

  boolean alarmed() {
    return alarm != null;
  }

  /** Learns values other nodes (or this one before a restart) answered with. */
  void learn(String value, long count) {
    if (known.size() >= settings.maxValues() && !known.containsKey(value)) {
      return;
    }
    known.merge(value, count, Long::sum);
    knownSamples += count;
  }

  /**
   * @param expected the expected value, or null; for a fingerprint, any of {@code accepted}
   * @param accepted the acceptable values (empty: any is acceptable)
   */
  Verdict observe(String value, Set<String> accepted, String runId, Instant at) {
    boolean mismatch = !accepted.isEmpty() && !accepted.contains(value);
    boolean novel = !known.containsKey(value);
    // With an expectation, the expectation decides; without one, novelty does.
    boolean good = accepted.isEmpty() ? !novel : !mismatch;
    if (alarm == null) {
      boolean armed = settings.enabled() && knownSamples >= settings.minSamples();
      if (mismatch || (accepted.isEmpty() && novel && armed)) {
        alarm = new Alarm(value, runId, at, accepted);
        alarm.seen.add(value);
        return Verdict.open(evidence(at));
      }
      if (novel) {
        learn(value, 0);
      }
      known.merge(value, 1L, Long::sum);
      knownSamples++;
      lastGoodRun = runId;
      return null;
    }
    if (good) {
      alarm.goodStreak++;
      if (alarm.goodStreak >= settings.minSamples()) {
        Evidence last = evidence(at);
        alarm = null;
        lastGoodRun = runId;
        return Verdict.resolve(last);
      }
      return null;
    }
    alarm.goodStreak = 0;
    alarm.seen.add(value);
    alarm.samples++;
    if (accepted.isEmpty() && !at.isBefore(alarm.openedAt.plus(settings.acceptAfter()))) {
      Evidence last = evidence(at);
      for (String v : alarm.seen) {
        learn(v, 1);
      }
      alarm = null;
      return Verdict.resolve(withAccepted(last));
    }
    return null;
  }

  Evidence current(Instant at) {
    return alarm == null ? null : evidence(at);
  }

  private Evidence evidence(Instant at) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("seen", alarm.value);
    details.put("seen_since_onset", List.copyOf(alarm.seen));
    details.put("known", new ArrayList<>(known.keySet()));
    if (!alarm.accepted.isEmpty()) {
      details.put("expected", List.copyOf(alarm.accepted));
    }
    String before = known.isEmpty() ? "nothing yet" : String.join(", ", known.keySet());
    String title =
        kind
            + " changed: "
            + alarm.value
            + (alarm.accepted.isEmpty()
                ? " (known: " + before + ")"
                : " (expected: " + String.join(", ", new LinkedHashSet<>(alarm.accepted)) + ")");
    return new Evidence(
        kind + "_changed",
        SignalSpec.FINGERPRINT.equals(kind) ? Evidence.WARNING : Evidence.CRITICAL,
        title,
        null,
        null,
        null,
        alarm.samples,
        alarm.openedAt,
        lastGoodRun,
        alarm.firstBadRun,
        details);
  }

  private static Evidence withAccepted(Evidence e) {
    Map<String, Object> details = new LinkedHashMap<>(e.details());
    details.put("accepted_as_baseline", true);
    return new Evidence(
        e.kind(),
        e.severity(),
        e.title(),
        e.baseline(),
        e.current(),
        e.unit(),
        e.samples(),
        e.onsetAt(),
        e.lastGoodRun(),
        e.firstBadRun(),
        details);
  }

  private static final class Alarm {
    final String value;
    final String firstBadRun;
    final Instant openedAt;
    final Set<String> accepted;
    final Set<String> seen = new LinkedHashSet<>();
    int goodStreak;
    long samples = 1;

    Alarm(String value, String firstBadRun, Instant openedAt, Set<String> accepted) {
      this.value = value;
      this.firstBadRun = firstBadRun;
      this.openedAt = openedAt;
      this.accepted = Set.copyOf(accepted);
    }
  }
}
