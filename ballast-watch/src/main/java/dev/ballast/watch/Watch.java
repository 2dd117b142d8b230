package dev.ballast.watch;

import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.watch.internal.WatchEngine;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watch: turns completed runs into per-series signals, runs sequential change detectors on them and
 * opens alerts that say what changed (docs/watch.md). Register it with {@code
 * journalWriter.addListener(watch)}: it observes stored batches on the journal's listener thread,
 * in memory only, never on a request's path. A ticker thread writes this node's per-minute
 * aggregates to the store, reads every node's into one baseline, and writes alerts to the store and
 * the journal.
 *
 * <p>Thread-safe. {@link #close} writes the last minutes and stops the ticker.
 */
public final class Watch implements Consumer<List<JournalEntry>>, AutoCloseable {
  private final WatchEngine engine;
  private final ScheduledExecutorService ticker;

  private Watch(WatchEngine engine, ScheduledExecutorService ticker) {
    this.engine = engine;
    this.ticker = ticker;
  }

  /**
   * Starts watching: reads the baseline window from the store once, then ticks every {@code
   * watch.baseline.tick}.
   *
   * @param journal where alert events go, e.g. {@code journalWriter::submit}
   * @param notifier told of each opening and resolution this node wrote, or null
   * @param node this node's name in the store's aggregate rows
   */
  public static Watch start(
      WatchSettings settings,
      WatchStore store,
      Consumer<JournalEntry> journal,
      RunDiffer differ,
      ExpectedIdentities expected,
      AlertNotifier notifier,
      Clock clock,
      String node) {
    Objects.requireNonNull(settings, "settings");
    WatchEngine engine =
        new WatchEngine(
            settings,
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(journal, "journal"),
            differ == null ? RunDiffer.NONE : differ,
            expected == null ? ExpectedIdentities.NONE : expected,
            notifier == null ? AlertNotifier.NONE : notifier,
            clock,
            node);
    engine.tick();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ballast-watch");
              t.setDaemon(true);
              return t;
            });
    long every = settings.baseline().tick().toMillis();
    ticker.scheduleWithFixedDelay(engine::tick, every, every, TimeUnit.MILLISECONDS);
    return new Watch(engine, ticker);
  }

  @Override
  public void accept(List<JournalEntry> batch) {
    engine.accept(batch);
  }

  /** Runs one round of the ticker's work now (tests, and close). */
  public void tick() {
    engine.tick();
  }

  /** The open alerts of every node, as of the last tick. */
  public List<AlertRecord> openAlerts() {
    return engine.openAlerts();
  }

  /**
   * Tells {@code listener} of the open alerts now and after every tick, on the ticker's thread
   * (e.g. to refresh a gauge); it must be quick.
   */
  public void addOpenAlertsListener(Consumer<List<AlertRecord>> listener) {
    engine.addOpenAlertsListener(listener);
  }

  public WatchStats stats() {
    return engine.stats();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    engine.tick();
  }
}
