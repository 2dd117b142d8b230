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

    BrownoutBenchmark.Results run = BrownoutBenchmark.run(settings);
    List<BrownoutResult> results = run.requests();

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
    // Every extra attempt and every request left unanswered has its decision in the journal.
    for (BrownoutResult r : results) {
      int failedAttempts = (int) (r.attempts() - r.answered());
      assertThat(r.decisions().values().stream().mapToInt(Integer::intValue).sum())
          .as(r.config())
          .isEqualTo(failedAttempts);
    }

    BrownoutStreamResult continued = run.streams().get(0);
    BrownoutStreamResult cut = run.streams().get(1);
    assertThat(continued.config()).isEqualTo("stream-cuts");
    assertThat(cut.config()).isEqualTo("stream-cuts-no-continuation");
    for (BrownoutStreamResult r : run.streams()) {
      assertThat(r.requests()).as(r.config()).isEqualTo(60);
      assertThat(r.primaryAttempts()).as(r.config()).isEqualTo(60);
    }
    // Each cut stream is continued on the fallback and arrives whole; without continuation it
    // ends with an error event instead, and nothing else goes wrong.
    assertThat(continued.continued()).isEqualTo((int) continued.cuts());
    assertThat(continued.fallbackAttempts()).isEqualTo(continued.cuts());
    assertThat(continued.whole()).isEqualTo(60);
    assertThat(cut.continued()).isZero();
    assertThat(cut.whole()).isEqualTo(60 - (int) cut.cuts());
  }

  @Test
  void aStreamIsWholeOnlyWithItsEndAndAFinishReason() {
    String chunk =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
            + "\"finish_reason\":%s}]}\n\n";
    String head = chunk.formatted("Hello", "null") + chunk.formatted(" world", "null");
    String finish = chunk.formatted("", "\"stop\"");

    assertThat(BrownoutStreamResult.completeText(head + finish + "data: [DONE]\n\n"))
        .isEqualTo("Hello world");
    assertThat(BrownoutStreamResult.completeText(head + "data: [DONE]\n\n")).isNull();
    assertThat(BrownoutStreamResult.completeText(head + finish)).isNull();
    assertThat(
            BrownoutStreamResult.completeText(
                head + "data: {\"error\":{\"message\":\"cut\"}}\n\n" + "data: [DONE]\n\n"))
        .isNull();
  }

  @Test
  void theReportNamesEveryConfigurationAndTheTargets() {
    BrownoutResult ballast =
        BrownoutResult.of(
            "ballast",
            new OpenLoopLoad.Samples(new int[] {200, 503}, new long[] {1_000_000, 3_000_000}, 0, 0),
            2,
            1);
    BrownoutStreamResult streams =
        new BrownoutStreamResult(
            "stream-cuts",
            3,
            3,
            1,
            1,
            3,
            1,
            java.util.Map.of(200, 3),
            new long[] {100_000_000, 120_000_000},
            new long[] {150_000_000});
    BrownoutBenchmark.Settings settings =
        new BrownoutBenchmark.Settings(
            2, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(30));

    String report =
        BrownoutReport.markdown(
            settings,
            new BrownoutBenchmark.Results(List.of(ballast), List.of(streams)),
            BrownoutReport.Facts.ofThisMachine("abc1234"));

    assertThat(report)
        .contains("| ballast | 2 | 50.00 | 1.500 | 2 | 1 | 1.0 | 3.0 | 3.0 | 200×1, 503×1 |")
        .contains("| upstream attempts/request ≤ 1.2 | 1.500 | **missed** |")
        .contains("commit abc1234")
        .contains(
            "| stream-cuts | 3 | 100.00 | 1 | 1 | 3 | 1 | 100.0 / 120.0 | 150.0 / 150.0 | 50.0 |");
  }
}
