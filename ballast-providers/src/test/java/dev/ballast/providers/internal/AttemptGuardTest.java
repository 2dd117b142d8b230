package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttemptGuardTest {
  private static final Duration LONG = Duration.ofHours(1);

  /**
   * Regression: the check armed at the start waits for the first-token deadline; the first token
   * must re-arm it for the much earlier idle deadline, or a stalled stream only ends at the
   * first-token or total deadline.
   */
  @Test
  void theFirstTokenOfAStreamArmsTheIdleDeadline() throws InterruptedException {
    AttemptGuard guard =
        AttemptGuard.start(new Timeouts(LONG, LONG, Duration.ofMillis(100), LONG), true);
    CountDownLatch aborted = new CountDownLatch(1);
    guard.onExpiry(aborted::countDown);
    guard.headersReceived();

    guard.firstToken();

    assertThat(aborted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(guard.expiredAs()).isEqualTo(ErrorClass.STREAM_STALL);
  }
}
