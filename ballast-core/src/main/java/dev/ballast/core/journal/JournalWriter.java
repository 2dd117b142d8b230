package dev.ballast.core.journal;

import dev.ballast.core.BallastException;
import dev.ballast.core.spi.JournalStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journal entries from the hot path to a {@link JournalStore} without making the hot path
 * wait for the database.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>Never blocks the caller on the store.</b> {@link #submit} offers to a bounded queue;
 *       when the queue is full — {@link JournalWriterConfig#queueCapacity()} entries or {@link
 *       JournalWriterConfig#queueBytes()} of payload — the entry is appended to a local spool file
 *       instead (one JSON line, its payload content inline), which costs a local file write and
 *       never a database round trip. The byte bound keeps a node whose store falls behind from
 *       filling its heap with waiting payloads.
 *   <li><b>Never drops an entry.</b> A batch the store keeps refusing is moved to the spool, so
 *       memory stays bounded during an outage; the spool is drained when the queue has room again
 *       and the store answers. A spool file is deleted only after all of it was written. Spool
 *       files left by a crashed process are drained on start. The only way to lose an entry is a
 *       crash before it reached the queue's spool or the store, or {@code submit} throwing.
 *   <li><b>Exactly-once rows.</b> Delivery to the store is at-least-once (a spool drained after a
 *       crash may repeat entries); the store ignores an entry whose {@code (runId, seq)} it has, so
 *       every entry becomes exactly one row.
 * </ul>
 *
 * <p>One platform daemon thread writes with group commit: it takes every entry waiting, up to
 * {@link JournalWriterConfig#maxBatch()}, into one {@link JournalStore#append} call, so the rate of
 * store transactions falls as load rises. Order of entries across batches is not kept; stores
 * derive summaries order-independently. Listeners run on a second thread ({@link
 * ListenerDispatch}). Thread-safe.
 */
public final class JournalWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  private static final long IDLE_POLL_MS = 50;

  /** What an entry costs in the queue besides its payloads: the event, its strings, the node. */
  private static final long ENTRY_OVERHEAD_BYTES = 256;

  private final JournalStore store;
  private final JournalWriterConfig config;
  private final BlockingQueue<JournalEntry> queue;
  private final JournalSpool spool;
  private final SpoolDrain spoolDrain;
  private final Thread thread;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong pendingSpool = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ListenerDispatch listeners;
  private final ReentrantLock progressLock = new ReentrantLock();
  private final Condition progress = progressLock.newCondition();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean stopping;

  private JournalWriter(JournalStore store, JournalWriterConfig config, JournalSpool spool)
      throws IOException {
    this.store = store;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.spool = spool;
    this.spoolDrain = new SpoolDrain(spool, config, pendingSpool);
    if (spoolDrain.recoveredFiles() > 0) {
      LOG.info(
          "recovering {} journal entries from {} spool files in {}",
          pendingSpool.get(),
          spoolDrain.recoveredFiles(),
          spool.dir());
    }
    this.thread = new Thread(this::run, "ballast-journal-writer");
    thread.setDaemon(true);
    this.listeners = new ListenerDispatch();
  }

  /**
   * Starts a writer over {@code store}, first draining any spool files a previous process left in
   * {@link JournalWriterConfig#spoolDir()}. The store stays owned by the caller.
   *
   * @throws BallastException when the spool directory cannot be used or another writer holds it
   */
  public static JournalWriter start(JournalStore store, JournalWriterConfig config) {
    Objects.requireNonNull(store, "store");
    JournalSpool spool = JournalSpool.open(config.spoolDir());
    try {
      JournalWriter writer = new JournalWriter(store, config, spool);
      writer.thread.start();
      return writer;
    } catch (IOException e) {
      closeQuietly(spool);
      throw new BallastException("journal spool " + config.spoolDir() + " is unreadable: " + e, e);
    }
  }

  /**
   * Hands an entry to the writer and returns at once. The entry reaches the store later.
   *
   * @throws IllegalStateException when the writer is closed
   * @throws BallastException when the queue is full and the spool cannot be written either
   */
  public void submit(JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    if (closed) {
      throw closedError(entry);
    }
    accepted.incrementAndGet();
    long weight = weight(entry);
    if (reserve(weight)) {
      if (queue.offer(entry)) {
        // close() may have drained the queue for the last time between our check and our offer.
        if (closed && queue.remove(entry)) {
          queuedBytes.addAndGet(-weight);
          accepted.decrementAndGet();
          throw closedError(entry);
        }
        return;
      }
      queuedBytes.addAndGet(-weight);
    }
    try {
      toSpool(List.of(entry));
    } catch (IOException e) {
      accepted.decrementAndGet();
      throw new BallastException(
          "journal queue is full and the spool " + spool.dir() + " cannot be written: " + e, e);
    }
  }

  /**
   * Claims room for {@code weight} bytes in the queue. An entry larger than the whole bound still
   * goes through an empty queue, so that no entry size is spooled for ever.
   */
  private boolean reserve(long weight) {
    long now = queuedBytes.addAndGet(weight);
    if (now > config.queueBytes() && now != weight) {
      queuedBytes.addAndGet(-weight);
      return false;
    }
    return true;
  }

  private static long weight(JournalEntry entry) {
    long bytes = ENTRY_OVERHEAD_BYTES;
    for (Payload payload : entry.event().payloads()) {
      if (payload.bytes() != null) {
        bytes += payload.bytes().length;
      }
    }
    return bytes;
  }

  private void taken(List<JournalEntry> entries) {
    long bytes = 0;
    for (JournalEntry entry : entries) {
      bytes += weight(entry);
    }
    queuedBytes.addAndGet(-bytes);
  }

  public JournalWriterStats stats() {
    return new JournalWriterStats(
        queue.size(), spooled.get(), pendingSpool.get(), written.get(), failedBatches.get());
  }

  /**
   * Waits until as many entries as were submitted before this call have been written to the store
   * (a count: with concurrent submitters, a later entry may stand in for an earlier one).
   *
   * @return false when {@code timeout} elapsed first
   */
  public boolean flush(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    progressLock.lock();
    try {
      while (delivered.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      progressLock.unlock();
    }
  }

  /**
   * Stops accepting entries, waits up to {@link JournalWriterConfig#closeTimeout()} for the store
   * to take what was submitted, and spools whatever it did not take for the next start.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    if (!flush(config.closeTimeout())) {
      LOG.warn(
          "journal store did not take every entry within {}; the rest stays in {}",
          config.closeTimeout(),
          spool.dir());
    }
    stopping = true;
    stopSignal.countDown();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listeners.close();
    closeQuietly(spoolDrain);
    closeQuietly(spool);
  }

  private void run() {
    while (!stopping) {
      try {
        JournalEntry first =
            spoolDrain.ready() ? queue.poll() : queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first != null) {
          writeFromQueue(first);
        }
        if (queue.remainingCapacity() >= config.queueCapacity() / 2
            && queuedBytes.get() <= config.queueBytes() / 2) {
          spoolDrain.step(this::writeFromSpool);
        }
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        LOG.error("journal writer step failed; retrying after {}", config.maxBackoff(), e);
        pause(config.maxBackoff());
      }
    }
    spoolWhatIsQueued();
  }

  private void writeFromQueue(JournalEntry first) {
    List<JournalEntry> entries = new ArrayList<>(config.maxBatch());
    entries.add(first);
    queue.drainTo(entries, config.maxBatch() - 1);
    taken(entries);
    JournalBatch batch = JournalBatch.of(entries);
    Duration backoff = config.initialBackoff();
    for (int attempt = 1; !tryAppend(batch); attempt++) {
      if (attempt >= config.maxAttempts() || stopping) {
        spoolFailedBatch(batch);
        return;
      }
      pause(backoff);
      backoff = config.nextBackoff(backoff);
    }
    recordWritten(batch, false);
  }

  /** The store refused the batch repeatedly: park it on disk so memory stays bounded. */
  private void spoolFailedBatch(JournalBatch batch) {
    Duration backoff = config.initialBackoff();
    while (true) {
      try {
        toSpool(batch.entries());
        LOG.warn("journal store unavailable; spooled a batch of {} entries", batch.size());
        return;
      } catch (IOException e) {
        LOG.error("journal spool {} cannot be written; retrying the store", spool.dir(), e);
      }
      if (tryAppend(batch)) {
        recordWritten(batch, false);
        return;
      }
      if (stopping) {
        LOG.error("{} journal entries could be neither stored nor spooled", batch.size());
        return;
      }
      pause(backoff);
      backoff = config.nextBackoff(backoff);
    }
  }

  private boolean writeFromSpool(JournalBatch batch) {
    if (tryAppend(batch)) {
      recordWritten(batch, true);
      return true;
    }
    return false;
  }

  private boolean tryAppend(JournalBatch batch) {
    try {
      store.append(batch.entries(), batch.blobs());
      return true;
    } catch (RuntimeException e) {
      failedBatches.incrementAndGet();
      LOG.debug("journal append of {} entries failed", batch.size(), e);
      return false;
    }
  }

  /**
   * Registers a listener told of every batch once it is stored (tracing and metrics derive from
   * it). Listeners run on one thread of their own, in store order, after the batch is durable and
   * before {@link #flush} counts it; they must be quick and must not block, and what they throw is
   * logged and swallowed. Entries recovered from a spool are delivered too, possibly again after a
   * crash.
   */
  public void addListener(Consumer<List<JournalEntry>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Counts a stored batch and hands it to the listeners; once they have seen it, it counts as
   * delivered and flushers wake, so that they see every counter up to date.
   */
  private void recordWritten(JournalBatch batch, boolean fromSpool) {
    if (fromSpool) {
      pendingSpool.updateAndGet(n -> Math.max(0, n - batch.size()));
    }
    written.addAndGet(batch.size());
    try {
      listeners.dispatch(batch, () -> delivered(batch));
    } catch (InterruptedException e) {
      // Only close() interrupts nobody; keep the count honest for flushers all the same.
      Thread.currentThread().interrupt();
      delivered(batch);
    }
  }

  private void delivered(JournalBatch batch) {
    if (!batch.recovered()) {
      delivered.addAndGet(batch.size());
    }
    progressLock.lock();
    try {
      progress.signalAll();
    } finally {
      progressLock.unlock();
    }
  }

  private void toSpool(List<JournalEntry> entries) throws IOException {
    spool.append(entries);
    spooled.addAndGet(entries.size());
    pendingSpool.addAndGet(entries.size());
  }

  /** On stop, what is still queued goes to the spool for the next start. */
  private void spoolWhatIsQueued() {
    List<JournalEntry> rest = new ArrayList<>();
    queue.drainTo(rest);
    taken(rest);
    if (!rest.isEmpty()) {
      spoolFailedBatch(JournalBatch.of(rest));
    }
  }

  private void pause(Duration duration) {
    try {
      stopSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static IllegalStateException closedError(JournalEntry entry) {
    return new IllegalStateException(
        "journal writer is closed; entry " + entry.runId() + "#" + entry.seq() + " not accepted");
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed", closeable, e);
    }
  }
}
