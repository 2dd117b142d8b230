package dev.ballast.core.queue;

import java.time.Duration;
import java.util.Map;

/**
 * The queue at one instant.
 *
 * @param depth runs per state; every state is present, zero when empty
 * @param oldestReadyAge how long the longest-waiting claimable run (queued or waiting, available)
 *     has been claimable; zero when none is
 * @param expiredLeases running runs whose lease has expired, i.e. held by a worker presumed dead
 */
public record QueueStats(Map<QueueState, Long> depth, Duration oldestReadyAge, long expiredLeases) {

  public QueueStats {
    depth = Map.copyOf(depth);
  }

  public long depth(QueueState state) {
    return depth.getOrDefault(state, 0L);
  }
}
