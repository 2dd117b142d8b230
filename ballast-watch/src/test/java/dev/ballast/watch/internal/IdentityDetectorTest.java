package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.WatchSettings.Identity;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityDetectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void aNewModelAfterWarmUpOpensAtOnceWithTheRunsOnEitherSide() {
    IdentityDetector d = new IdentityDetector("model", Identity.DEFAULT);
    for (int i = 0; i < 10; i++) {
      assertThat(d.observe("gpt-4o-2024-08-06", Set.of(), "run-" + i, T0.plusSeconds(i))).isNull();
    }
    Verdict v = d.observe("gpt-4o-2024-11-20", Set.of(), "run-10", T0.plusSeconds(10));
    assertThat(v.transition()).isEqualTo(Verdict.Transition.OPEN);
    assertThat(v.evidence().kind()).isEqualTo("model_changed");
    assertThat(v.evidence().lastGoodRun()).isEqualTo("run-9");
    assertThat(v.evidence().firstBadRun()).isEqualTo("run-10");
    assertThat(v.evidence().details()).containsEntry("seen", "gpt-4o-2024-11-20");
    assertThat(v.evidence().title()).contains("gpt-4o-2024-11-20").contains("gpt-4o-2024-08-06");
  }

  @Test
  void valuesSeenDuringWarmUpAreLearntNotAlerted() {
    IdentityDetector d = new IdentityDetector("fingerprint", Identity.DEFAULT);
    for (int i = 0; i < 9; i++) {
      assertThat(d.observe("fp_" + (i % 3), Set.of(), "run-" + i, T0)).isNull();
    }
    assertThat(d.known("fp_2")).isTrue();
  }

  @Test
  void anUnexpectedModelOpensEvenBeforeWarmUp() {
    IdentityDetector d = new IdentityDetector("model", Identity.DEFAULT);
    Verdict v = d.observe("gpt-4o-mini", Set.of("gpt-4o-2024-08-06"), "run-0", T0);
    assertThat(v.transition()).isEqualTo(Verdict.Transition.OPEN);
    assertThat(v.evidence().details()).containsKey("expected");
  }

  @Test
  void resolvesAfterAStreakOfKnownAnswers() {
    IdentityDetector d = new IdentityDetector("model", Identity.DEFAULT);
    for (int i = 0; i < 10; i++) {
      d.observe("m1", Set.of(), "run-" + i, T0);
    }
    assertThat(d.observe("m2", Set.of(), "run-10", T0).transition())
        .isEqualTo(Verdict.Transition.OPEN);
    for (int i = 11; i < 20; i++) {
      assertThat(d.observe("m1", Set.of(), "run-" + i, T0)).isNull();
    }
    assertThat(d.observe("m1", Set.of(), "run-20", T0).transition())
        .isEqualTo(Verdict.Transition.RESOLVE);
    // m2 was never accepted: it alerts again.
    assertThat(d.observe("m2", Set.of(), "run-21", T0).transition())
        .isEqualTo(Verdict.Transition.OPEN);
  }

  @Test
  void aNewValueThatStaysIsAcceptedAfterAcceptAfter() {
    IdentityDetector d = new IdentityDetector("model", Identity.DEFAULT);
    for (int i = 0; i < 10; i++) {
      d.observe("m1", Set.of(), "run-" + i, T0);
    }
    d.observe("m2", Set.of(), "run-10", T0);
    assertThat(d.observe("m2", Set.of(), "run-11", T0.plus(Duration.ofHours(1)))).isNull();
    Verdict v = d.observe("m2", Set.of(), "run-12", T0.plus(Duration.ofHours(24)));
    assertThat(v.transition()).isEqualTo(Verdict.Transition.RESOLVE);
    assertThat(v.evidence().details()).containsEntry("accepted_as_baseline", true);
    assertThat(d.known("m2")).isTrue();
    assertThat(d.observe("m2", Set.of(), "run-13", T0.plus(Duration.ofHours(25)))).isNull();
  }
}
