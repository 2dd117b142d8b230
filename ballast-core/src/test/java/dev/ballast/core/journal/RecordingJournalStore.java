package dev.ballast.core.journal;

import dev.ballast.core.BallastException;
import dev.ballast.core.spi.JournalStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that records every delivery, so tests can count calls and duplicates. It can
 * be made to fail, or to hold each append until released. Summaries are not its concern.
 */
final class RecordingJournalStore implements JournalStore {
  final List<JournalEntry> delivered = new ArrayList<>();
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final AtomicInteger appendCalls = new AtomicInteger();
  final AtomicBoolean failing = new AtomicBoolean();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** Appends wait until {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  synchronized List<JournalEntry> deliveredEntries() {
    return List.copyOf(delivered);
  }

  @Override
  public void append(List<JournalEntry> entries, Map<String, byte[]> newBlobs) {
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        throw new BallastException("test gate was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BallastException("interrupted");
    }
    if (failing.get()) {
      throw new BallastException("store is down (test)");
    }
    synchronized (this) {
      appendCalls.incrementAndGet();
      delivered.addAll(entries);
      blobs.putAll(newBlobs);
    }
  }

  @Override
  public List<RunSummary> listRuns(RunQuery query) {
    return List.of();
  }

  @Override
  public Optional<RunSummary> findRun(String runId) {
    return Optional.empty();
  }

  @Override
  public synchronized List<JournalEntry> events(String runId) {
    return delivered.stream()
        .filter(e -> e.runId().equals(runId))
        .sorted(Comparator.comparingInt(JournalEntry::seq))
        .toList();
  }

  @Override
  public Optional<byte[]> blob(String hash) {
    return Optional.ofNullable(blobs.get(hash));
  }
}
