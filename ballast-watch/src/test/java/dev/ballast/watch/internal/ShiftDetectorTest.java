package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.WatchSettings.Detector;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CUSUM on log values with its default settings (h = 20, k = 0.5), on log-normal latency whose
 * log has a standard deviation of 0.5 (p99 about 3.2 × the median), as providers' latency often is.
 * Seeded, so every run sees the same numbers.
 */
class ShiftDetectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final SignalSpec LATENCY = SignalSpec.of("latency");
  private static final double SIGMA = 0.5;

  @Test
  void detectsLatencyTimesOnePointFiveWithinOneHundredAndFiftySamplesForEverySeed() {
    // Expected delay from Siegmund's approximation: about 63 observations (32 s at 2 req/s).
    int worst = 0;
    for (long seed = 1; seed <= 30; seed++) {
      Random rng = new Random(seed);
      ShiftDetector d = detector(baseline(rng, 200, 7_200));
      for (int i = 0; i < 300; i++) {
        d.observe(lognormal(rng, 200), "good-" + i, T0.plusMillis(500L * i));
      }
      int delay = delayUntilOpen(d, rng, 300, 1_000);
      worst = Math.max(worst, delay);
    }
    assertThat(worst).isLessThanOrEqualTo(150);
  }

  @Test
  void detectsOutputTokensDownThirtyPercent() {
    Random rng = new Random(7);
    SignalSpec tokens = SignalSpec.of("output_tokens");
    LogHistogram h = new LogHistogram();
    for (int i = 0; i < 7_200; i++) {
      h.add(tokens.toLog(tokensSample(rng, 400)));
    }
    ShiftDetector d = new ShiftDetector(tokens, Detector.CONTINUOUS);
    d.rebase(Baseline.continuous(h));
    Verdict v = null;
    int n = 0;
    while (v == null && n < 2_000) {
      v = d.observe(tokensSample(rng, 280), "run-" + n, T0.plusSeconds(n));
      n++;
    }
    assertThat(v).isNotNull();
    assertThat(v.evidence().kind()).isEqualTo("shift_down");
    assertThat(n).isLessThanOrEqualTo(200);
    assertThat(v.evidence().current()).isBetween(240.0, 320.0);
  }

  @Test
  void staysQuietOnTwentyFourHoursOfStationaryNoiseAtTwoPerSecond() {
    for (long seed = 1; seed <= 3; seed++) {
      Random rng = new Random(seed);
      ShiftDetector d = detector(baseline(rng, 200, 7_200));
      int samples = 24 * 3_600 * 2;
      for (int i = 0; i < samples; i++) {
        Verdict v = d.observe(lognormal(rng, 200), "run-" + i, T0.plusMillis(500L * i));
        assertThat(v).as("seed %d, sample %d", seed, i).isNull();
      }
    }
  }

  @Test
  void staysQuietOnHeavyTailedNoiseWithOnePercentOutliers() {
    // One observation in a hundred takes ten times as long: timeouts, cold caches. The clip at
    // z = ±4 keeps any one of them from counting for more than 3.5 (4 − k).
    Random rng = new Random(11);
    ShiftDetector d = detector(baseline(rng, 200, 7_200));
    for (int i = 0; i < 24 * 3_600 * 2; i++) {
      double x = lognormal(rng, 200) * (rng.nextDouble() < 0.01 ? 10 : 1);
      assertThat(d.observe(x, "run-" + i, T0.plusMillis(500L * i))).isNull();
    }
  }

  @Test
  void namesTheRunsAroundTheOnsetAndResolvesAfterRecovery() {
    Random rng = new Random(3);
    ShiftDetector d = detector(baseline(rng, 200, 7_200));
    for (int i = 0; i < 500; i++) {
      d.observe(lognormal(rng, 200), "good-" + i, T0.plusSeconds(i));
    }
    Verdict open = null;
    int i = 0;
    while (open == null) {
      open = d.observe(lognormal(rng, 400), "bad-" + i, T0.plusSeconds(500 + i));
      i++;
    }
    assertThat(open.transition()).isEqualTo(Verdict.Transition.OPEN);
    // The onset estimate (where the statistic last left zero) lands within a few runs of the true
    // change: just after it, or just before when noise had lifted the statistic already.
    assertThat(runIndex(open.evidence().firstBadRun())).isBetween(490, 510);
    assertThat(runIndex(open.evidence().lastGoodRun()))
        .isEqualTo(runIndex(open.evidence().firstBadRun()) - 1);
    assertThat(open.evidence().severity()).isEqualTo(Evidence.CRITICAL);
    assertThat(open.evidence().baseline()).isBetween(180.0, 220.0);
    assertThat(d.frozen()).isTrue();

    // While the shift lasts, the alert stays open.
    for (int j = 0; j < 500; j++) {
      assertThat(d.observe(lognormal(rng, 400), "bad-more-" + j, T0.plusSeconds(1_000 + j)))
          .isNull();
    }
    assertThat(d.current().current()).isBetween(340.0, 460.0);
    Verdict resolved = null;
    int k = 0;
    while (resolved == null && k < 1_000) {
      resolved = d.observe(lognormal(rng, 200), "back-" + k, T0.plusSeconds(2_000 + k));
      k++;
    }
    assertThat(resolved).isNotNull();
    assertThat(resolved.transition()).isEqualTo(Verdict.Transition.RESOLVE);
    // The recovery window (100) fills with good observations until at most half are high.
    assertThat(k).isBetween(30, 300);
    assertThat(d.alarmed()).isFalse();
  }

  @Test
  void saysNothingBeforeTheBaselineHoldsItsMinimumSamples() {
    Random rng = new Random(5);
    ShiftDetector d = detector(baseline(rng, 200, 199));
    for (int i = 0; i < 1_000; i++) {
      assertThat(d.observe(lognormal(rng, 2_000), "run-" + i, T0.plus(Duration.ofSeconds(i))))
          .isNull();
    }
  }

  /** good-N is the N-th run, bad-N the (500 + N)-th. */
  private static int runIndex(String run) {
    int n = Integer.parseInt(run.substring(run.indexOf('-') + 1));
    return run.startsWith("good-") ? n : 500 + n;
  }

  private static int delayUntilOpen(ShiftDetector d, Random rng, int from, int max) {
    for (int n = 1; n <= max; n++) {
      Verdict v = d.observe(lognormal(rng, 300), "bad-" + n, T0.plusMillis(500L * (from + n)));
      if (v != null) {
        assertThat(v.transition()).isEqualTo(Verdict.Transition.OPEN);
        assertThat(v.evidence().kind()).isEqualTo("shift_up");
        return n;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static ShiftDetector detector(Baseline baseline) {
    ShiftDetector d = new ShiftDetector(LATENCY, Detector.CONTINUOUS);
    d.rebase(baseline);
    return d;
  }

  static Baseline baseline(Random rng, double median, int samples) {
    LogHistogram h = new LogHistogram();
    for (int i = 0; i < samples; i++) {
      h.add(LATENCY.toLog(lognormal(rng, median)));
    }
    return Baseline.continuous(h);
  }

  static double lognormal(Random rng, double median) {
    return median * Math.exp(SIGMA * rng.nextGaussian());
  }

  /** Answer lengths that vary with the prompt: log-normal around {@code median}, σ = 0.3. */
  static int tokensSample(Random rng, double median) {
    return (int) Math.round(median * Math.exp(0.3 * rng.nextGaussian()));
  }
}
