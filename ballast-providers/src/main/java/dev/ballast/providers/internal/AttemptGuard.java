package dev.ballast.providers.internal;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the first-token, idle and total timeouts of one attempt. The reading thread only records
 * progress (two volatile writes); a single scheduled check per deadline decides whether a deadline
 * really passed and, if so, aborts the exchange so that the blocked reader wakes up with an {@link
 * java.io.IOException} that {@link #failure()} turns into the right error class. Progress only
 * moves a deadline later, which the pending check finds when it runs, except for the first token of
 * a stream, which switches to the idle deadline and therefore re-arms the check at once.
 *
 * <p>The first-token deadline means "headers and first body byte" for a plain call and "first
 * content delta" for a stream. The idle deadline only applies to streams once content flows.
 */
final class AttemptGuard implements AutoCloseable {
  private final Timeouts timeouts;
  private final boolean streaming;
  private final ScheduledExecutorService scheduler;
  private final long startNanos = System.nanoTime();

  private volatile long lastActivityNanos = startNanos;
  private volatile boolean headersReceived;
  private volatile boolean firstTokenReceived;

  private Runnable abort = () -> {};
  private ScheduledFuture<?> pending;
  private ErrorClass expired;
  private boolean closed;

  private AttemptGuard(Timeouts timeouts, boolean streaming, ScheduledExecutorService scheduler) {
    this.timeouts = timeouts;
    this.streaming = streaming;
    this.scheduler = scheduler;
  }

  static AttemptGuard start(Timeouts timeouts, boolean streaming) {
    AttemptGuard guard = new AttemptGuard(timeouts, streaming, Watchdog.scheduler());
    guard.check();
    return guard;
  }

  /** What to do when a deadline passes; runs at once if one already passed. */
  void onExpiry(Runnable action) {
    boolean runNow;
    synchronized (this) {
      abort = action;
      runNow = expired != null;
    }
    if (runNow) {
      action.run();
    }
  }

  void headersReceived() {
    headersReceived = true;
  }

  /** Bytes arrived: a plain call has its first byte, a stream is not idle. */
  void activity() {
    lastActivityNanos = System.nanoTime();
    if (!streaming) {
      firstTokenReceived = true;
    }
  }

  /** A stream delivered content a client would see; from now on the idle deadline applies. */
  void firstToken() {
    if (!firstTokenReceived) {
      firstTokenReceived = true;
      lastActivityNanos = System.nanoTime();
      // The check armed so far waits for the first-token deadline, which is usually much later
      // than the idle deadline that replaces it now; without re-arming, a stall would only be
      // noticed when that first-token (or total) deadline came.
      check();
    }
  }

  synchronized boolean isExpired() {
    return expired != null;
  }

  synchronized ErrorClass expiredAs() {
    return expired;
  }

  /** The exception for the deadline that passed; only meaningful when {@link #isExpired()}. */
  ProviderException failure() {
    ErrorClass reason = expiredAs();
    return new ProviderException(reason, describe(reason));
  }

  private String describe(ErrorClass reason) {
    return switch (reason) {
      case SILENCE -> "no response within the first-token timeout of " + ms(timeouts.firstToken());
      case SLOW_FIRST_TOKEN ->
          "headers arrived but no token within the first-token timeout of "
              + ms(timeouts.firstToken());
      case STREAM_STALL -> "stream sent nothing for the idle timeout of " + ms(timeouts.idle());
      default -> "attempt exceeded its total timeout of " + ms(timeouts.total());
    };
  }

  private static String ms(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private void check() {
    Runnable action = null;
    synchronized (this) {
      if (closed || expired != null) {
        return;
      }
      long now = System.nanoTime();
      Deadline next = nextDeadline();
      if (next.atNanos - now <= 0) {
        expired = next.reason;
        action = abort;
      } else {
        // A re-armed check replaces the one pending, so that one attempt has one chain of checks.
        if (pending != null) {
          pending.cancel(false);
        }
        pending = scheduler.schedule(this::check, next.atNanos - now, TimeUnit.NANOSECONDS);
      }
    }
    if (action != null) {
      action.run();
    }
  }

  private Deadline nextDeadline() {
    Deadline next = new Deadline(startNanos + timeouts.total().toNanos(), ErrorClass.TIMEOUT);
    if (!firstTokenReceived) {
      ErrorClass reason =
          streaming && headersReceived ? ErrorClass.SLOW_FIRST_TOKEN : ErrorClass.SILENCE;
      next = next.earlier(new Deadline(startNanos + timeouts.firstToken().toNanos(), reason));
    } else if (streaming) {
      next =
          next.earlier(
              new Deadline(lastActivityNanos + timeouts.idle().toNanos(), ErrorClass.STREAM_STALL));
    }
    return next;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  private record Deadline(long atNanos, ErrorClass reason) {
    Deadline earlier(Deadline other) {
      return other.atNanos - atNanos < 0 ? other : this;
    }
  }
}
