package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final MutableClock clock = new MutableClock();
  private final BackoffConfig config =
      BackoffConfig.builder()
          .base(Duration.ofMillis(100))
          .cap(Duration.ofSeconds(2))
          .minAttemptTime(Duration.ofSeconds(1))
          .build();
  private final Backoff backoff = new Backoff(config, new SplittableRandom(42));

  private Deadline inSeconds(long seconds) {
    return Deadline.after(Duration.ofSeconds(seconds), clock);
  }

  @Test
  void delaysStayWithinTheExponentialCeiling() {
    for (int attempt = 0; attempt < 10; attempt++) {
      Duration ceiling = Duration.ofMillis(Math.min(2000, 100L << attempt));
      for (int i = 0; i < 200; i++) {
        Duration delay = backoff.delayFor(attempt, Optional.empty(), inSeconds(60)).orElseThrow();
        assertThat(delay).isBetween(Duration.ZERO, ceiling);
      }
    }
  }

  @Test
  void hugeAttemptNumbersAreCappedWithoutOverflow() {
    Duration delay = backoff.delayFor(Integer.MAX_VALUE, Optional.empty(), inSeconds(60)).get();
    assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void honoursRetryAfterWhenItFitsTheDeadline() {
    assertThat(backoff.delayFor(0, Optional.of(Duration.ofSeconds(3)), inSeconds(10)))
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void givesUpWhenRetryAfterPlusAnAttemptDoesNotFit() {
    assertThat(backoff.delayFor(0, Optional.of(Duration.ofSeconds(3)), inSeconds(3))).isEmpty();
  }

  @Test
  void givesUpWhenNotEvenAMinimumAttemptFits() {
    Deadline deadline = inSeconds(5);
    clock.advance(Duration.ofMillis(4500));
    assertThat(backoff.delayFor(0, Optional.empty(), deadline)).isEmpty();
  }

  @Test
  void shortensTheJitteredDelaySoTheAttemptStillFits() {
    Deadline deadline = inSeconds(5);
    clock.advance(Duration.ofMillis(3900));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delayFor(5, Optional.empty(), deadline).orElseThrow())
          .isLessThanOrEqualTo(Duration.ofMillis(100));
    }
  }

  @Test
  void sameSeedGivesTheSameDelays() {
    Backoff again = new Backoff(config, new SplittableRandom(42));
    Backoff first = new Backoff(config, new SplittableRandom(42));
    for (int attempt = 0; attempt < 5; attempt++) {
      assertThat(again.delayFor(attempt, Optional.empty(), inSeconds(60)))
          .isEqualTo(first.delayFor(attempt, Optional.empty(), inSeconds(60)));
    }
  }
}
