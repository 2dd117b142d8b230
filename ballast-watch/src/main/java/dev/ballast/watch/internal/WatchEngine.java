package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import dev.ballast.watch.AlertNotifier;
import dev.ballast.watch.ExpectedIdentities;
import dev.ballast.watch.RunDiffer;
import dev.ballast.watch.WatchStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watch's moving parts. Observations and detectors run on the journal's listener thread ({@link
 * #accept}: in memory, no I/O); everything that touches the store runs in {@link #tick}, on one
 * ticker thread: writing this node's changed minutes, reading the minutes that settled since the
 * last tick (every node's rows) into the windows and the baselines, turning verdicts into alerts,
 * updating the numbers of open alerts, and pruning old minutes. Thread-safe.
 */
public final class WatchEngine {
  private static final Logger LOG = LoggerFactory.getLogger(WatchEngine.class);
  private static final int MAX_PROPOSALS = 10_000;

  /** How often the numbers of an open alert are written again while it stays open. */
  static final Duration UPDATE_EVERY = Duration.ofMinutes(1);

  /** How long a node keeps a written minute to rewrite it when late runs arrive. */
  private static final long LATE_MINUTES = 10;

  private final WatchSettings settings;
  private final WatchStore store;
  private final Clock clock;
  private final String node;
  private final SeriesTable table;
  private final RunFolder folder;
  private final AlertBook alerts;
  private final BlockingQueue<Proposal> proposals = new ArrayBlockingQueue<>(MAX_PROPOSALS);
  private final AtomicLong proposalsDropped = new AtomicLong();
  private final AtomicLong storeFailures = new AtomicLong();
  private volatile List<AlertRecord> open = List.of();
  private final List<Consumer<List<AlertRecord>>> openListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private long readUntil = Long.MIN_VALUE;
  private long prunedAt = Long.MIN_VALUE;

  public WatchEngine(
      WatchSettings settings,
      WatchStore store,
      Consumer<JournalEntry> journal,
      RunDiffer differ,
      ExpectedIdentities expected,
      AlertNotifier notifier,
      Clock clock,
      String node) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.node = node;
    this.table = new SeriesTable(settings, this::propose);
    this.folder = new RunFolder(table, settings.refusalPatterns(), expected);
    this.alerts = new AlertBook(store, journal, differ, notifier, clock);
  }

  private void propose(Proposal p) {
    if (!proposals.offer(p)) {
      proposalsDropped.incrementAndGet();
    }
  }

  /** Folds a stored batch into observations. Quick, in memory, never throws. */
  public void accept(List<JournalEntry> batch) {
    synchronized (folder) {
      for (JournalEntry entry : batch) {
        try {
          folder.accept(entry);
        } catch (RuntimeException e) {
          LOG.warn(
              "watch could not observe {} of {}: {}",
              entry.event().typeName(),
              entry.runId(),
              e.toString());
        }
      }
    }
  }

  /** One round of store work; the ticker calls it every {@code watch.baseline.tick}. */
  public synchronized void tick() {
    Instant now = clock.instant();
    long minute = Series.minute(now);
    try {
      flush(minute);
      readSettled(now);
      applyProposals(now);
      updateOpenAlerts(now);
      open = store.alerts(AlertState.OPEN, 1_000);
      openListeners.forEach(l -> l.accept(open));
      prune(minute);
    } catch (RuntimeException e) {
      storeFailures.incrementAndGet();
      LOG.warn("watch tick failed: {}", e.toString());
    }
  }

  private void flush(long minute) {
    List<MinuteAggregate> rows = new ArrayList<>();
    for (Series s : table.all()) {
      s.dirtyRows(node, minute - LATE_MINUTES, rows);
    }
    store.saveMinutes(rows);
  }

  /**
   * Reads the minutes that settled since the last read (every node's rows of them) into the
   * windows, then reads each detector's baseline again. The first read, at start, fills the whole
   * window: a restarted node compares against the same baseline as before.
   */
  private void readSettled(Instant now) {
    long settled = Series.minute(now.minus(settings.baseline().settle()));
    long windowMinutes = settings.baseline().window().toMinutes();
    long oldest = settled - windowMinutes;
    long from = Math.max(readUntil, oldest);
    if (from >= settled) {
      return;
    }
    for (MinuteAggregate row : store.minutes(from, settled)) {
      Series s = table.get(row.series());
      if (s != null) {
        s.ingest(row);
      }
    }
    readUntil = settled;
    for (Series s : table.all()) {
      s.rebase(oldest);
    }
  }

  private void applyProposals(Instant now) {
    List<Proposal> batch = new ArrayList<>();
    proposals.drainTo(batch);
    for (Proposal p : batch) {
      Optional<String> id = alerts.apply(p);
      if (id.isPresent()) {
        Series s = table.get(p.series());
        if (s != null) {
          s.alertOpened(p.signal(), id.get(), now);
        }
      }
    }
  }

  private void updateOpenAlerts(Instant now) {
    for (Series s : table.all()) {
      for (Proposal p : s.updates(now, UPDATE_EVERY)) {
        alerts.apply(p);
      }
    }
  }

  private void prune(long minute) {
    if (minute - prunedAt < 60) {
      return;
    }
    prunedAt = minute;
    store.pruneMinutes(minute - settings.retention().toMinutes());
  }

  /** Told of the open alerts (every node's) after each tick, on the ticker's thread. */
  public void addOpenAlertsListener(Consumer<List<AlertRecord>> listener) {
    openListeners.add(listener);
    listener.accept(open);
  }

  /** The open alerts as of the last tick, from the store (every node's). */
  public List<AlertRecord> openAlerts() {
    return open;
  }

  public WatchStats stats() {
    long evicted;
    long unattributed;
    synchronized (folder) {
      evicted = folder.evicted();
      unattributed = folder.unattributed();
    }
    return new WatchStats(
        table.size(),
        table.dropped(),
        evicted,
        unattributed,
        proposalsDropped.get(),
        storeFailures.get());
  }
}
