package dev.ballast.core.limits;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store granted in a {@link LimitExchange}.
 *
 * @param granted the node's lease now: at least the exchange's {@code keep}, at most its {@code
 *     want}
 * @param used the usage counted in the window, every node's reports included
 * @param oldestUse the second of the oldest usage still in a sliding window, when to expect room
 *     again; null for a limit without a window or an empty one
 */
public record LimitGrant(long granted, long used, Instant oldestUse) {

  public Optional<Instant> oldest() {
    return Optional.ofNullable(oldestUse);
  }
}
