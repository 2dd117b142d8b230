package dev.ballast.resilience.internal;

import dev.ballast.resilience.BulkheadConfig;
import dev.ballast.resilience.BulkheadFullException;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import dev.ballast.resilience.PriorityBulkhead;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link PriorityBulkhead} with one FIFO queue of waiters per priority under one lock. A freed
 * slot is handed to a waiter rather than returned to the pool, so the waiter cannot lose it to a
 * caller that arrives while it wakes up. Each waiter has its own condition so that exactly the
 * chosen one is woken.
 */
public final class QueueingPriorityBulkhead implements PriorityBulkhead {
  private final String deployment;
  private final BulkheadConfig config;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Waiter> interactive = new ArrayDeque<>();
  private final Deque<Waiter> batch = new ArrayDeque<>();
  private int inUse; // guarded by lock

  public QueueingPriorityBulkhead(String deployment, BulkheadConfig config, InstantSource clock) {
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Slot acquire(Priority priority, Deadline deadline) throws InterruptedException {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(deadline, "deadline");
    Supplier<Duration> waitLeft = waitLeft(priority, deadline);
    lock.lock();
    try {
      if (inUse < config.maxConcurrentCalls()) {
        inUse++;
        return new QueueSlot();
      }
      return await(priority, waitLeft);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int inUse() {
    lock.lock();
    try {
      return inUse;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int waiting(Priority priority) {
    lock.lock();
    try {
      return queue(priority).size();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a handed-over slot; called with the lock held. */
  private Slot await(Priority priority, Supplier<Duration> waitLeft) throws InterruptedException {
    Deque<Waiter> queue = queue(priority);
    Waiter waiter = new Waiter(lock.newCondition());
    queue.addLast(waiter);
    try {
      while (!waiter.granted) {
        long nanos = waitLeft.get().toNanos();
        if (nanos <= 0) {
          queue.remove(waiter);
          throw new BulkheadFullException(deployment, priority, config.batchRetryAfter());
        }
        waiter.condition.awaitNanos(nanos);
      }
      return new QueueSlot();
    } catch (InterruptedException e) {
      if (waiter.granted) {
        // The slot was handed to us just as we were interrupted; pass it on, not leak it.
        releaseLocked();
      } else {
        queue.remove(waiter);
      }
      throw e;
    }
  }

  private Supplier<Duration> waitLeft(Priority priority, Deadline deadline) {
    if (priority == Priority.INTERACTIVE) {
      return deadline::remaining;
    }
    Deadline batchWait = Deadline.after(config.batchMaxWait(), clock);
    return () -> deadline.capTimeout(batchWait.remaining());
  }

  private void release() {
    lock.lock();
    try {
      releaseLocked();
    } finally {
      lock.unlock();
    }
  }

  private void releaseLocked() {
    Waiter next = interactive.isEmpty() ? batch.pollFirst() : interactive.pollFirst();
    if (next == null) {
      inUse--;
      return;
    }
    next.granted = true;
    next.condition.signal();
  }

  private Deque<Waiter> queue(Priority priority) {
    return priority == Priority.INTERACTIVE ? interactive : batch;
  }

  private static final class Waiter {
    final Condition condition;
    boolean granted; // guarded by lock

    Waiter(Condition condition) {
      this.condition = condition;
    }
  }

  private final class QueueSlot implements Slot {
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release();
      }
    }
  }
}
