package dev.ballast.core.journal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored batches to the journal's listeners on a thread of their own, so that the writer
 * thread spends its time on the store: on a two-CPU node, metrics, spans and Watch folding on the
 * writer's thread made it the one thread the whole node waited for.
 *
 * <p>Batches reach the listeners in the order the writer stored them (one queue, one thread). After
 * the listeners have seen a batch, its {@code delivered} callback runs; the writer counts a batch
 * as delivered only then, which keeps {@link JournalWriter#flush}'s promise that what was flushed
 * has also been observed. The queue is bounded: when listeners fall behind, the writer waits, its
 * own queue fills, and submitters spill to the spool, as they do for a slow store.
 */
final class ListenerDispatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatch.class);
  private static final int QUEUE_BATCHES = 64;

  private record Handoff(JournalBatch batch, Runnable delivered) {}

  private static final Handoff STOP = new Handoff(null, null);

  private final CopyOnWriteArrayList<Consumer<List<JournalEntry>>> listeners =
      new CopyOnWriteArrayList<>();
  private final BlockingQueue<Handoff> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
  private final Thread thread;

  ListenerDispatch() {
    this.thread = new Thread(this::run, "ballast-journal-listeners");
    thread.setDaemon(true);
    thread.start();
  }

  void add(Consumer<List<JournalEntry>> listener) {
    listeners.add(listener);
  }

  /**
   * Queues a stored batch; blocks while the listeners are {@value #QUEUE_BATCHES} batches behind.
   */
  void dispatch(JournalBatch batch, Runnable delivered) throws InterruptedException {
    queue.put(new Handoff(batch, delivered));
  }

  private void run() {
    while (true) {
      Handoff next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP) {
        return;
      }
      for (Consumer<List<JournalEntry>> listener : listeners) {
        try {
          listener.accept(next.batch().entries());
        } catch (RuntimeException e) {
          LOG.warn("journal listener failed: {}", e.toString());
        }
      }
      next.delivered().run();
    }
  }

  /** Lets the listeners see every batch already queued, then stops their thread. */
  @Override
  public void close() {
    try {
      queue.put(STOP);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
