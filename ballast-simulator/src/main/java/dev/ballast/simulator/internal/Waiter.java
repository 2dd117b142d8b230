package dev.ballast.simulator.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;

/**
 * Waits the way a client with {@link Timeouts} would experience a slow provider: a wait that would
 * outlast a limit waits only until the limit and then fails with the limit's error class. Never
 * waits past the attempt's total timeout. Interruptible.
 */
final class Waiter {
  /** A wait that only a timeout ends. */
  static final Duration FOREVER = Duration.ofDays(365);

  private final Timeouts timeouts;
  private final long startNanos = System.nanoTime();

  Waiter(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Waits {@code want} unless that passes the first-token limit, counted from the start. */
  void beforeFirstToken(Duration want, ErrorClass onLimit, String what) {
    await(want, timeouts.firstToken(), onLimit, what);
  }

  /** Waits {@code want} unless that is a longer gap than the idle timeout allows. */
  void betweenChunks(Duration want, String what) {
    await(want, elapsed().plus(timeouts.idle()), ErrorClass.STREAM_STALL, what);
  }

  /** Waits until the total timeout elapses, then fails with TIMEOUT. */
  void untilTotal(String what) {
    await(FOREVER, timeouts.total(), ErrorClass.TIMEOUT, what);
  }

  private void await(Duration want, Duration limitSinceStart, ErrorClass onLimit, String what) {
    boolean totalFirst = timeouts.total().compareTo(limitSinceStart) < 0;
    Duration limit = totalFirst ? timeouts.total() : limitSinceStart;
    Duration allowed = limit.minus(elapsed());
    if (want.compareTo(allowed) <= 0) {
      sleep(want);
      return;
    }
    sleep(allowed);
    ErrorClass errorClass = totalFirst ? ErrorClass.TIMEOUT : onLimit;
    throw new ProviderException(
        errorClass, "simulated " + what + ": nothing arrived within " + limit.toMillis() + " ms");
  }

  private static void sleep(Duration d) {
    if (!d.isPositive()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ErrorClass.DEADLINE_EXCEEDED, "simulated call interrupted while waiting", e);
    }
  }
}
