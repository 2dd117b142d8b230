package dev.ballast.store.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads waiting in {@code awaitWork} of one store. A wake-up releases every thread waiting at
 * that moment; one that starts waiting afterwards waits for the next. Thread-safe.
 */
final class Wakeups {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private long generation;

  void wakeAll() {
    lock.lock();
    try {
      generation++;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the next {@link #wakeAll} or until {@code maxWait} passes, whichever is first. A
   * spurious return of the underlying condition does not end the wait early.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void await(Duration maxWait) throws InterruptedException {
    long remaining = nanos(maxWait);
    lock.lockInterruptibly();
    try {
      long seen = generation;
      while (generation == seen && remaining > 0) {
        remaining = woken.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@code maxWait} in nanoseconds, saturated instead of overflowing; zero when negative. */
  static long nanos(Duration maxWait) {
    if (maxWait.isNegative()) {
      return 0;
    }
    return maxWait.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : TimeUnit.NANOSECONDS.convert(maxWait);
  }
}
