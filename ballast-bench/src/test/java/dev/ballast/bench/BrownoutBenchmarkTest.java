package dev.ballast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The brownout harness end to end, briefly and slowly; asserts counts, never timings. */
class BrownoutBenchmarkTest {

  @Test
  void failoverBeforeRetryBoundsEveryConfigurationToTwoAttemptsPerRequest() throws Exception {
    BrownoutBenchmark.Settings settings =
        new BrownoutBenchmark.Settings(
            20, Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(30));

    List<BrownoutResult> results = BrownoutBenchmark.run(settings);

    assertThat(results)
        .extracting(BrownoutResult::config)
        .containsExactly("ballast", "ballast-no-breaker", "naive");
    for (BrownoutResult r : results) {
      assertThat(r.requests()).as(r.config()).isEqualTo(60);
      // Every request reached the upstream at least once, or the counts mean nothing.
      assertThat(r.attempts()).as(r.config()).isGreaterThanOrEqualTo(r.requests());
      // The fallback always answers, and a failed primary attempt fails over to it before any
      // retry: never more than two attempts for one request, whatever the retry settings.
      assertThat(r.attempts()).as(r.config()).isLessThanOrEqualTo(2L * r.requests());
    }
    // With an unlimited retry budget every request reaches the healthy fallback.
    assertThat(results.get(2).answeredShare()).isEqualTo(1.0);
  }

  @Test
  void theReportNamesEveryConfigurationAndTheTargets() {
    BrownoutResult ballast =
        BrownoutResult.of(
            "ballast",
            new OpenLoopLoad.Samples(new int[] {200, 503}, new long[] {1_000_000, 3_000_000}, 0, 0),
            2,
            1);
    BrownoutBenchmark.Settings settings =
        new BrownoutBenchmark.Settings(
            2, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(30));

    String report =
        BrownoutReport.markdown(
            settings, List.of(ballast), BrownoutReport.Facts.ofThisMachine("abc1234"));

    assertThat(report)
        .contains("| ballast | 2 | 50.00 | 1.500 | 2 | 1 | 1.0 | 3.0 | 3.0 | 200×1, 503×1 |")
        .contains("| upstream attempts/request ≤ 1.2 | 1.500 | **missed** |")
        .contains("commit abc1234");
  }
}
