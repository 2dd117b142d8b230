package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.queue.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The queue's statistics, read at most once per {@code ttl}. Every queue gauge calls this at every
 * scrape, and reading the statistics is a query on the store: without the cache one scrape would
 * run it once per gauge, and several Prometheus servers scraping several nodes would add up.
 * Thread-safe; a failed read is not cached, so the next scrape tries again.
 */
final class QueueStatsCache implements Supplier<QueueStats> {
  static final Duration DEFAULT_TTL = Duration.ofSeconds(2);

  private final Supplier<QueueStats> source;
  private final Clock clock;
  private final Duration ttl;
  private final ReentrantLock lock = new ReentrantLock();
  private QueueStats cached;
  private Instant readAt;

  QueueStatsCache(Supplier<QueueStats> source, Clock clock, Duration ttl) {
    this.source = source;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * @throws RuntimeException what reading the store threw, when the cached value has expired
   */
  @Override
  public QueueStats get() {
    lock.lock();
    try {
      Instant now = clock.instant();
      if (cached == null || !now.isBefore(readAt.plus(ttl))) {
        cached = source.get();
        readAt = now;
      }
      return cached;
    } finally {
      lock.unlock();
    }
  }
}
