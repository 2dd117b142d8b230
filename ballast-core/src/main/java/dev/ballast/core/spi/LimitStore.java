package dev.ballast.core.spi;

import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import java.time.Instant;

/**
 * Tenant limits shared by every node of the store: per tenant and {@link LimitKind}, the usage the
 * nodes reported and the leases they hold (see {@code docs/limits.md}).
 *
 * <p>Invariants every implementation keeps (a contract test each in {@code LimitStoreContract}):
 *
 * <ol>
 *   <li><b>Bound.</b> After an exchange, the usage in the window plus every live lease is at most
 *       the limit, unless the exchange's {@code keep} alone passes it.
 *   <li><b>Serialized.</b> Exchanges of one (tenant, kind) are serialized across nodes: two nodes
 *       racing cannot both be granted the same room.
 *   <li><b>Reported usage stays.</b> Usage is counted in the second it was reported for until it
 *       leaves the window; spend never leaves.
 *   <li><b>Lapsed leases.</b> A lease not renewed by its expiry is dropped by the next exchange; a
 *       lapsed spend lease is added to the spend (its node may have spent it).
 * </ol>
 *
 * <p>Thread-safe.
 */
public interface LimitStore {

  /**
   * Reports the node's usage and replaces its lease, in one transaction.
   *
   * @return the new lease and the usage in the window
   */
  LimitGrant exchange(LimitExchange exchange);

  /**
   * The usage counted for the tenant's limit in the window ending at {@code now} (spend: all of
   * it), leases not included.
   */
  long used(String tenant, LimitKind kind, Instant now);
}
