package dev.ballast.core.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One node's exchange with the store for one tenant limit: the usage it has not reported yet, and
 * the lease it wants in place of the one it holds.
 *
 * @param limit the limit's value (requests, tokens or nano-dollars); positive
 * @param used unreported usage by second (epoch seconds; for {@link LimitKind#SPEND} any key)
 * @param keep the least lease the node must keep whatever the limit says: what calls already in
 *     flight reserved
 * @param want the lease the node asks for; granted as far as the limit allows, never below {@code
 *     keep}
 * @param leaseFor how long the new lease lives unless renewed
 */
public record LimitExchange(
    String tenant,
    LimitKind kind,
    String nodeId,
    long limit,
    Map<Long, Long> used,
    long keep,
    long want,
    Instant now,
    Duration leaseFor) {
  public LimitExchange {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseFor, "leaseFor");
    used = Map.copyOf(used);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, but was " + limit);
    }
    if (keep < 0 || want < 0) {
      throw new IllegalArgumentException(
          "keep and want must not be negative, but were " + keep + " and " + want);
    }
  }
}
