package dev.ballast.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final MutableClock clock = new MutableClock();
  private final Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);

  @Test
  void remainingShrinksWithTheClockAndStopsAtZero() {
    clock.advance(Duration.ofSeconds(4));
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(6));
    clock.advance(Duration.ofSeconds(20));
    assertThat(deadline.remaining()).isZero();
    assertThat(deadline.expired()).isTrue();
  }

  @Test
  void fitsWhatCanFinishInTime() {
    clock.advance(Duration.ofSeconds(7));
    assertThat(deadline.fits(Duration.ofSeconds(3))).isTrue();
    assertThat(deadline.fits(Duration.ofMillis(3001))).isFalse();
  }

  @Test
  void nothingFitsAnExpiredDeadline() {
    clock.advance(Duration.ofSeconds(10));
    assertThat(deadline.fits(Duration.ZERO)).isFalse();
  }

  @Test
  void capTimeoutNeverOutlivesTheDeadline() {
    clock.advance(Duration.ofSeconds(8));
    assertThat(deadline.capTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(2));
    assertThat(deadline.capTimeout(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsANegativeTimeout() {
    assertThatThrownBy(() -> Deadline.after(Duration.ofSeconds(-1), clock))
        .hasMessage("timeout must be >= 0, but was PT-1S");
  }
}
