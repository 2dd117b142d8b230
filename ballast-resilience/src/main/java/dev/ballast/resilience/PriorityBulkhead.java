package dev.ballast.resilience;

import dev.ballast.resilience.internal.QueueingPriorityBulkhead;
import java.time.InstantSource;

/**
 * Limits the calls in flight to one deployment. When it is saturated, a freed slot goes to the
 * longest-waiting {@link Priority#INTERACTIVE} caller first and only then to the longest-waiting
 * {@link Priority#BATCH} caller. Batch callers wait at most {@link BulkheadConfig#batchMaxWait()};
 * interactive callers wait until their deadline.
 *
 * <p>Thread-safe. Slots are handed directly to the chosen waiter, so a newly arriving caller can
 * never overtake one that is already waiting. Waiting blocks the calling thread (cheap on virtual
 * threads) without spinning.
 */
public interface PriorityBulkhead {

  static PriorityBulkhead create(String deployment, BulkheadConfig config, InstantSource clock) {
    return new QueueingPriorityBulkhead(deployment, config, clock);
  }

  /**
   * Takes a slot, waiting if none is free.
   *
   * @return the slot; close it when the call is over
   * @throws BulkheadFullException if no slot became free within the caller's wait
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  Slot acquire(Priority priority, Deadline deadline) throws InterruptedException;

  /** Calls holding a slot now. */
  int inUse();

  /** Callers of {@code priority} waiting for a slot now. */
  int waiting(Priority priority);

  /** A slot in the bulkhead; closing it more than once has no further effect. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }
}
