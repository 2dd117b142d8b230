package dev.ballast.core.config;

import java.time.Duration;

/**
 * {@code workers}: how a node executes pipeline runs.
 *
 * @param concurrency runs executed at once by this node
 * @param lease how long a claimed run stays this node's without a heartbeat; a crashed node's runs
 *     are taken over by others this long after its last heartbeat
 * @param heartbeat how often held leases are extended; well under {@code lease}
 * @param poll the longest an idle worker waits before looking for work again when no wake-up
 *     arrives
 */
public record WorkersConfig(int concurrency, Duration lease, Duration heartbeat, Duration poll) {
  public static final WorkersConfig DEFAULT =
      new WorkersConfig(16, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1));
}
