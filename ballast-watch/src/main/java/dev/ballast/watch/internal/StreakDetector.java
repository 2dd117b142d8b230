package dev.ballast.watch.internal;

import java.time.Instant;
import java.util.Map;

/**
 * A probe that either passes or fails, like a canary: a few failures in a row are an event, not a
 * statistic. A rate detector needs hundreds of samples to be sure of a change in a rate; a canary
 * runs once per period, so it would hear a broken model only days later. This detector opens after
 * {@link #FAILURES} failed verdicts in a row — within two canary periods — and resolves after as
 * many passes in a row. A canary is a deliberate check with a fixed prompt, so two failures in a
 * row are worth an operator's look; its failure rate is watched by the rate detector as well.
 *
 * <p>Not thread-safe: its series' lock guards it.
 */
final class StreakDetector {
  /** Failed verdicts in a row that open an alert, and passes in a row that resolve it. */
  static final int FAILURES = 2;

  private final String signal;
  private int failing;
  private int passing;
  private String lastGoodRun;
  private String firstBadRun;
  private Instant onsetAt;
  private boolean alarmed;
  private long samples;

  StreakDetector(String signal) {
    this.signal = signal;
  }

  boolean alarmed() {
    return alarmed;
  }

  Verdict observe(boolean failed, String runId, Instant at) {
    if (failed) {
      passing = 0;
      if (failing++ == 0) {
        firstBadRun = runId;
        onsetAt = at;
        samples = 0;
      }
      samples++;
      if (!alarmed && failing >= FAILURES) {
        alarmed = true;
        return Verdict.open(current());
      }
      return null;
    }
    if (alarmed) {
      samples++;
    }
    failing = 0;
    if (++passing >= FAILURES && alarmed) {
      alarmed = false;
      Evidence e = current();
      lastGoodRun = runId;
      return Verdict.resolve(e);
    }
    if (!alarmed) {
      lastGoodRun = runId;
    }
    return null;
  }

  /** The failures in a row so far, from the first of them. */
  Evidence current() {
    return new Evidence(
        "failing",
        Evidence.CRITICAL,
        signal + ": " + failing + " failed verdicts in a row",
        null,
        (double) failing,
        "verdicts",
        samples,
        onsetAt,
        lastGoodRun,
        firstBadRun,
        Map.of("failures_in_a_row", failing, "threshold", FAILURES));
  }
}
