package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.watch.MinuteAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A deployment's series with every default, its baseline read each minute from its own settled
 * minutes as the engine does (rows written, settled two minutes, windowed over an hour), fed at 2
 * requests per second with realistic noise: log-normal latency, answer lengths that vary with the
 * prompt, 1 % server errors, a rare refusal. Seeded; time is simulated.
 */
class SeriesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final long SETTLE = 2;
  private static final long WINDOW = 60;

  private final List<Proposal> proposals = new ArrayList<>();
  private final Series series = new Series("deployment:d", WatchSettings.DEFAULT, proposals::add);
  private final TreeMap<Long, List<MinuteAggregate>> written = new TreeMap<>();
  private final Random rng = new Random(2026);
  private long minute = Series.minute(T0);
  private long ingestedUntil = Long.MIN_VALUE;

  @Test
  void twentyFourHoursOfStationaryNoiseRaiseNoAlarm() {
    int samples = (24 + 1) * 3_600 * 2;
    for (int i = 0; i < samples; i++) {
      observe(i, 1.0, 0.01);
    }
    assertThat(proposals).isEmpty();
  }

  @Test
  void latencyTimesOnePointFiveIsDetectedWithinFiveMinutes() {
    int warm = 3_600 * 2;
    for (int i = 0; i < warm; i++) {
      observe(i, 1.0, 0.01);
    }
    assertThat(proposals).isEmpty();
    int i = warm;
    while (proposals.isEmpty() && i < warm + 600) {
      observe(i, 1.5, 0.01);
      i++;
    }
    assertThat(proposals).hasSize(1);
    Proposal p = proposals.getFirst();
    assertThat(p.signal()).isEqualTo("latency");
    assertThat(p.verdict().transition()).isEqualTo(Verdict.Transition.OPEN);
    assertThat(p.verdict().evidence().baseline()).isBetween(180.0, 220.0);
    assertThat(i - warm).isLessThanOrEqualTo(600);
  }

  @Test
  void aBurstOfServerErrorsOpensThatErrorClassesAlert() {
    int warm = 3_600 * 2;
    for (int i = 0; i < warm; i++) {
      observe(i, 1.0, 0.01);
    }
    int i = warm;
    while (proposals.stream().noneMatch(p -> p.signal().equals("error_rate.server_error"))
        && i < warm + 1_000) {
      observe(i, 1.0, 0.10);
      i++;
    }
    assertThat(proposals)
        .extracting(Proposal::signal)
        .contains("error_rate.server_error", "failure_rate");
  }

  private void observe(int i, double latencyFactor, double errorRate) {
    Instant at = T0.plus(Duration.ofMillis(500L * i));
    long now = Series.minute(at);
    if (now != minute) {
      rollOver(now);
    }
    String run = "run-" + i;
    boolean failed = rng.nextDouble() < errorRate;
    series.outcome(failed ? "server_error" : null, run, at);
    if (failed) {
      return;
    }
    series.continuous("latency", ShiftDetectorTest.lognormal(rng, 200) * latencyFactor, run, at);
    series.continuous("output_tokens", ShiftDetectorTest.tokensSample(rng, 300), run, at);
    series.continuous("input_tokens", ShiftDetectorTest.tokensSample(rng, 1_200), run, at);
    series.rate("refusal_rate", rng.nextDouble() < 0.002, run, at);
    series.identity("model", "m-1", Set.of(), run, at);
  }

  /** What the ticker does at a minute's turn: write, read what settled, rebase. */
  private void rollOver(long now) {
    List<MinuteAggregate> rows = new ArrayList<>();
    series.dirtyRows("n1", now - 10, rows);
    for (MinuteAggregate row : rows) {
      written.computeIfAbsent(row.minute(), m -> new ArrayList<>()).add(row);
    }
    long settled = now - SETTLE;
    for (List<MinuteAggregate> minuteRows : written.subMap(ingestedUntil, settled).values()) {
      minuteRows.forEach(series::ingest);
    }
    written.headMap(settled).clear();
    ingestedUntil = settled;
    series.rebase(settled - WINDOW);
    minute = now;
  }
}
