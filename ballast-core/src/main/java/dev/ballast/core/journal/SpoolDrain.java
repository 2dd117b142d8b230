package dev.ballast.core.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Feeds the spool back into the store one batch per step, so that the writer thread can go on
 * serving the queue between steps. Used by the writer thread only.
 */
final class SpoolDrain implements Closeable {
  private final JournalSpool spool;
  private final JournalWriterConfig config;
  private final AtomicLong pending;
  private final Set<Path> recoveredFiles;
  private final ArrayDeque<Path> sealedFiles = new ArrayDeque<>();
  private SpoolCursor cursor;
  private JournalBatch batch;
  private long retryAt;
  private Duration backoff;

  /**
   * @param pending entries in spool files; counts what a previous process left on creation
   */
  SpoolDrain(JournalSpool spool, JournalWriterConfig config, AtomicLong pending)
      throws IOException {
    this.spool = spool;
    this.config = config;
    this.pending = pending;
    this.backoff = config.initialBackoff();
    List<Path> leftovers = spool.files();
    this.recoveredFiles = new HashSet<>(leftovers);
    sealedFiles.addAll(leftovers);
    for (Path file : leftovers) {
      pending.addAndGet(JournalSpool.countLines(file));
    }
  }

  int recoveredFiles() {
    return recoveredFiles.size();
  }

  /** Whether a step could write something now, i.e. there is work and no backoff in force. */
  boolean ready() {
    boolean work = pending.get() > 0 || batch != null || cursor != null;
    return work && System.nanoTime() >= retryAt;
  }

  /**
   * Offers the next spooled batch to {@code store}, which answers whether it was written. A refused
   * batch is kept for the next step, after a backoff.
   */
  void step(Predicate<JournalBatch> store) throws IOException {
    if (System.nanoTime() < retryAt) {
      return;
    }
    if (batch == null) {
      batch = nextBatch();
      if (batch == null) {
        return;
      }
    }
    if (store.test(batch)) {
      batch = null;
      backoff = config.initialBackoff();
    } else {
      retryAt = System.nanoTime() + backoff.toNanos();
      backoff = config.nextBackoff(backoff);
    }
  }

  private JournalBatch nextBatch() throws IOException {
    while (true) {
      if (cursor != null) {
        JournalBatch next = cursor.next(config.maxBatch());
        long skipped = cursor.takeSkipped();
        pending.updateAndGet(n -> Math.max(0, n - skipped));
        if (next != null) {
          return next;
        }
        // Every batch of this file has been written: only now may it go.
        SpoolCursor done = cursor;
        cursor = null;
        done.close();
        Files.deleteIfExists(done.file());
      }
      if (sealedFiles.isEmpty()) {
        if (pending.get() == 0) {
          return null;
        }
        sealedFiles.addAll(spool.seal());
        if (sealedFiles.isEmpty()) {
          // Nothing on disk although entries were counted: the count was wrong, not the files.
          pending.set(0);
          return null;
        }
      }
      Path file = sealedFiles.poll();
      cursor = new SpoolCursor(file, recoveredFiles.remove(file));
    }
  }

  @Override
  public void close() throws IOException {
    if (cursor != null) {
      cursor.close();
    }
  }
}
