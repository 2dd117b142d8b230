package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.WatchSettings.Rates;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Bernoulli CUSUM with its default settings (h = 18, p1 = max(3 × p0, p0 + 0.02), floor 0.001).
 * Seeded.
 */
class RateDetectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void detectsARefusalRateFromZeroToFivePercentWithinThreeHundredRequests() {
    int worst = 0;
    for (long seed = 1; seed <= 30; seed++) {
      Random rng = new Random(seed);
      RateDetector d = detector(7_200, 0);
      int n = 0;
      Verdict v = null;
      while (v == null && n < 2_000) {
        v = d.observe(rng.nextDouble() < 0.05, "run-" + n, T0.plusSeconds(n));
        n++;
      }
      assertThat(v).as("seed %d", seed).isNotNull();
      assertThat(v.evidence().kind()).isEqualTo("rate_up");
      worst = Math.max(worst, n);
    }
    assertThat(worst).isLessThanOrEqualTo(300);
  }

  @Test
  void staysQuietOnTwentyFourHoursAtTwoPerSecondForRareAndCommonEvents() {
    for (double p : new double[] {0.0005, 0.005, 0.05}) {
      Random rng = new Random(Double.hashCode(p));
      // The baseline saw an hour of the same rate.
      long events = 0;
      for (int i = 0; i < 7_200; i++) {
        events += rng.nextDouble() < p ? 1 : 0;
      }
      RateDetector d = detector(7_200, events);
      for (int i = 0; i < 24 * 3_600 * 2; i++) {
        assertThat(d.observe(rng.nextDouble() < p, "run-" + i, T0.plusMillis(500L * i)))
            .as("p=%s, observation %d", p, i)
            .isNull();
      }
    }
  }

  @Test
  void resolvesWhenTheRateIsBackAndNamesTheRunsAroundTheOnset() {
    Random rng = new Random(9);
    RateDetector d = detector(7_200, 7);
    for (int i = 0; i < 1_000; i++) {
      d.observe(rng.nextDouble() < 0.001, "good-" + i, T0.plusSeconds(i));
    }
    Verdict open = null;
    int i = 0;
    while (open == null) {
      open = d.observe(rng.nextDouble() < 0.2, "bad-" + i, T0.plusSeconds(1_000 + i));
      i++;
    }
    assertThat(open.evidence().firstBadRun()).isNotNull();
    // The onset estimate is where the statistic last left zero, which a rare event shortly before
    // the change can move early: the rate since then is diluted at first, above p1 nonetheless.
    assertThat(open.evidence().current()).isGreaterThan(0.021);
    for (int j = 0; j < 1_000; j++) {
      assertThat(d.observe(rng.nextDouble() < 0.2, "bad-more-" + j, T0.plusSeconds(2_000 + j)))
          .isNull();
    }
    // As the change lasts, the rate since the onset approaches the true one, and so does the
    // severity the alert's updates carry.
    assertThat(d.current().current()).isBetween(0.12, 0.25);
    assertThat(d.current().severity()).isEqualTo(Evidence.CRITICAL);
    Verdict resolved = null;
    int k = 0;
    while (resolved == null && k < 5_000) {
      resolved = d.observe(rng.nextDouble() < 0.001, "back-" + k, T0.plusSeconds(5_000 + k));
      k++;
    }
    assertThat(resolved).isNotNull();
    assertThat(resolved.transition()).isEqualTo(Verdict.Transition.RESOLVE);
    assertThat(k).isLessThanOrEqualTo(600);
  }

  @Test
  void waitsForItsMinimumSamples() {
    RateDetector d = detector(499, 0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(d.observe(true, "run-" + i, T0.plusSeconds(i))).isNull();
    }
  }

  private static RateDetector detector(long samples, long events) {
    Rates rates = Rates.DEFAULT;
    RateDetector d = new RateDetector("refusal_rate", rates.detector(), rates);
    d.rebase(Baseline.rate(samples, events));
    return d;
  }
}
