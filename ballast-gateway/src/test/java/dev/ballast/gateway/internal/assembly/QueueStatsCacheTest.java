package dev.ballast.gateway.internal.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class QueueStatsCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final AtomicInteger reads = new AtomicInteger();

  private QueueStats read() {
    long n = reads.incrementAndGet();
    return new QueueStats(Map.of(QueueState.QUEUED, n), Duration.ZERO, 0);
  }

  private QueueStatsCache cache(Supplier<QueueStats> source) {
    return new QueueStatsCache(source, clock, Duration.ofSeconds(2));
  }

  @Test
  void readsTheStoreOnceForEveryGaugeOfAScrape() {
    QueueStatsCache cache = cache(this::read);

    for (int gauge = 0; gauge < 8; gauge++) {
      assertThat(cache.get().depth(QueueState.QUEUED)).isEqualTo(1);
    }
    assertThat(reads).hasValue(1);
  }

  @Test
  void readsAgainOnceTheTimeToLiveHasPassed() {
    QueueStatsCache cache = cache(this::read);
    cache.get();

    clock.advance(Duration.ofMillis(1999));
    assertThat(cache.get().depth(QueueState.QUEUED)).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get().depth(QueueState.QUEUED)).isEqualTo(2);
  }

  @Test
  void aFailedReadIsNotCachedSoTheNextScrapeTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    QueueStatsCache cache =
        cache(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("store unavailable");
              }
              return read();
            });

    assertThatThrownBy(cache::get).hasMessage("store unavailable");
    assertThat(cache.get().depth(QueueState.QUEUED)).isEqualTo(1);
  }
}
