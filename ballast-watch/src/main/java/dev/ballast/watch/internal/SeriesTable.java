package dev.ballast.watch.internal;

import dev.ballast.core.config.WatchSettings;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The series in memory, at most {@code watch.max_series} of them: an observation of a series beyond
 * the cap is dropped and counted ({@link #dropped}), never silently. Thread-safe.
 */
final class SeriesTable {
  private final WatchSettings settings;
  private final Consumer<Proposal> proposals;
  private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();

  SeriesTable(WatchSettings settings, Consumer<Proposal> proposals) {
    this.settings = settings;
    this.proposals = proposals;
  }

  /** The series, created on first use; null (and counted) when the cap is reached. */
  Series get(String key) {
    Series existing = series.get(key);
    if (existing != null) {
      return existing;
    }
    if (series.size() >= settings.maxSeries()) {
      dropped.incrementAndGet();
      return null;
    }
    return series.computeIfAbsent(key, k -> new Series(k, settings, proposals));
  }

  Collection<Series> all() {
    return series.values();
  }

  int size() {
    return series.size();
  }

  long dropped() {
    return dropped.get();
  }
}
