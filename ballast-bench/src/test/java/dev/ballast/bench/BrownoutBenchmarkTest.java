package dev.ballast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The brownout harness end to end, briefly and slowly; asserts counts, never timings. */
class BrownoutBenchmarkTest {

  @Test
  void ballastSpendsFewerUpstreamAttemptsPerRequestThanTheNaiveConfiguration() throws Exception {
    BrownoutBenchmark.Settings settings =
        new BrownoutBenchmark.Settings(
            20, Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(30));

    List<BrownoutResult> results = BrownoutBenchmark.run(settings);

    assertThat(results).extracting(BrownoutResult::config).containsExactly("ballast", "naive");
    BrownoutResult ballast = results.get(0);
    BrownoutResult naive = results.get(1);
    assertThat(ballast.requests()).isEqualTo(60);
    assertThat(naive.requests()).isEqualTo(60);
    // Every request reached the upstream at least once, or the counts mean nothing.
    assertThat(ballast.attempts()).isGreaterThanOrEqualTo(ballast.requests());
    assertThat(naive.attempts()).isGreaterThanOrEqualTo(naive.requests());
    assertThat(ballast.attemptsPerRequest()).isLessThan(naive.attemptsPerRequest());
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
