package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreakDetectorTest {
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  private final StreakDetector detector = new StreakDetector("canary_failing");

  @Test
  void opensAtTheSecondFailureInARowNamingTheLastPassAndTheFirstFailure() {
    assertThat(detector.observe(false, "pass-1", T0)).isNull();
    assertThat(detector.observe(true, "fail-1", T0.plusSeconds(60))).isNull();

    Verdict verdict = detector.observe(true, "fail-2", T0.plusSeconds(120));

    assertThat(verdict.transition()).isEqualTo(Verdict.Transition.OPEN);
    assertThat(verdict.evidence().lastGoodRun()).isEqualTo("pass-1");
    assertThat(verdict.evidence().firstBadRun()).isEqualTo("fail-1");
    assertThat(verdict.evidence().onsetAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void aSingleFailureBetweenPassesOpensNothing() {
    for (int i = 0; i < 10; i++) {
      assertThat(detector.observe(i % 2 == 0, "run-" + i, T0.plusSeconds(i))).isNull();
    }
    assertThat(detector.alarmed()).isFalse();
  }

  @Test
  void resolvesAfterAsManyPassesInARow() {
    detector.observe(true, "f1", T0);
    detector.observe(true, "f2", T0);
    assertThat(detector.observe(false, "p1", T0)).isNull();
    assertThat(detector.observe(true, "f3", T0)).isNull();
    assertThat(detector.observe(false, "p2", T0)).isNull();

    Verdict verdict = detector.observe(false, "p3", T0);

    assertThat(verdict.transition()).isEqualTo(Verdict.Transition.RESOLVE);
    assertThat(detector.alarmed()).isFalse();
  }
}
