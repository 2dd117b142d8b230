package dev.ballast.calls.internal;

import dev.ballast.calls.Admission;
import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node's share of one tenant limit: a lease from the {@link LimitStore}, the reservations of
 * calls in flight and the usage not yet reported (see {@code docs/limits.md}).
 *
 * <p>Invariant: while the lease is valid, {@code reserved + unreported <= granted}, except for
 * usage {@link #add added} after the fact (output tokens, a cost above its reservation). Every
 * reservation and every unreported use is therefore inside a lease the store counts, which is what
 * bounds all nodes together. The store is asked only when the lease cannot cover a reservation, and
 * by {@link #sync} once per sync interval. Thread-safe: one lock, held through an exchange.
 */
public final class LeasedMeter {
  private final LimitStore store;
  private final String tenant;
  private final LimitKind kind;
  private final String nodeId;
  private final Clock clock;
  private final Duration leaseFor;
  private final Duration margin;
  private final double share;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Long, Long> unreported = new HashMap<>();
  private long unreportedTotal;
  private long reserved;
  private long granted;
  private Instant validUntil = Instant.MIN;
  private boolean active;
  private LimitGrant lastGrant;

  /**
   * @param leaseFor how long the store keeps a lease unless renewed
   * @param margin how long before the store's expiry this node stops using a lease: at least one
   *     sync interval, so a lease in use is renewed before it could lapse
   * @param share the part of the limit asked for at once beyond what a call needs
   */
  public LeasedMeter(
      LimitStore store,
      String tenant,
      LimitKind kind,
      String nodeId,
      Clock clock,
      Duration leaseFor,
      Duration margin,
      double share) {
    this.store = store;
    this.tenant = tenant;
    this.kind = kind;
    this.nodeId = nodeId;
    this.clock = clock;
    this.leaseFor = leaseFor;
    this.margin = margin;
    this.share = share;
  }

  /**
   * Reserves {@code amount} of {@code limit}, asking the store for a new lease when this one cannot
   * cover it.
   *
   * @return empty when reserved; else the grant that refused it (its usage and oldest use)
   * @throws RuntimeException the store's failure when it had to be asked and could not be
   */
  public java.util.Optional<LimitGrant> reserve(long amount, long limit) {
    lock.lock();
    try {
      active = true;
      Instant now = clock.instant();
      if (now.isBefore(validUntil) && reserved + unreportedTotal + amount <= granted) {
        reserved += amount;
        return java.util.Optional.empty();
      }
      exchange(now, limit, reserved + Math.max(amount, chunk(limit)));
      if (reserved + unreportedTotal + amount <= granted) {
        reserved += amount;
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(lastGrant);
    } finally {
      lock.unlock();
    }
  }

  /**
   * What this node knows of the limit's room, for a client's rate-limit headers: the usage the
   * store counted at the last exchange plus what this node used or reserved since. Other nodes'
   * unreported use and leases are not in it, so on a cluster it is an upper bound, refreshed at
   * every exchange (at least once per sync interval while the meter is used).
   *
   * @return the room left (never negative) and the time until the oldest use counted leaves the
   *     window (zero when nothing is counted)
   */
  public Admission.Room room(long limit) {
    lock.lock();
    try {
      Instant now = clock.instant();
      long used = (lastGrant == null ? 0 : lastGrant.used()) + unreportedTotal + reserved;
      Duration window = kind.window().orElse(Duration.ZERO);
      Instant oldest = null;
      if (lastGrant != null
          && lastGrant.oldestUse() != null
          && lastGrant.oldestUse().plus(window).isAfter(now)) {
        oldest = lastGrant.oldestUse();
      }
      for (long second : unreported.keySet()) {
        Instant s = Instant.ofEpochSecond(second);
        if (oldest == null || s.isBefore(oldest)) {
          oldest = s;
        }
      }
      Duration reset = Duration.ZERO;
      if (oldest != null && used > 0) {
        // Usage is counted per second: a use in second S leaves the window at S + window.
        reset = Duration.between(now, oldest.plus(window));
        reset = reset.isNegative() ? Duration.ZERO : reset;
      }
      return new Admission.Room(limit, Math.max(0, limit - used), reset);
    } finally {
      lock.unlock();
    }
  }

  /** Gives back a reservation whose call was not made. */
  public void release(long amount) {
    lock.lock();
    try {
      reserved = Math.max(0, reserved - amount);
    } finally {
      lock.unlock();
    }
  }

  /** Replaces a reservation by what was used, counted in the current second. */
  public void commit(long reservedAmount, long used) {
    lock.lock();
    try {
      reserved = Math.max(0, reserved - reservedAmount);
      addLocked(used);
    } finally {
      lock.unlock();
    }
  }

  /** Counts usage that was not reserved (output tokens known only after the call). */
  public void add(long used) {
    commit(0, used);
  }

  private void addLocked(long used) {
    if (used > 0) {
      unreported.merge(clock.instant().getEpochSecond(), used, Long::sum);
      unreportedTotal += used;
    }
  }

  /**
   * Reports the usage and renews the lease: as large as a chunk while the meter was used since the
   * last sync, else only what calls in flight reserved (nothing, once idle: the lease is given
   * back).
   *
   * @throws RuntimeException the store's failure; nothing is lost, the next sync reports it
   */
  public void sync(long limit) {
    lock.lock();
    try {
      if (!active && reserved == 0 && unreportedTotal == 0 && granted == 0) {
        return;
      }
      exchange(clock.instant(), limit, active ? reserved + chunk(limit) : reserved);
      active = false;
    } finally {
      lock.unlock();
    }
  }

  /** Reports everything and keeps only what calls in flight reserved: for a node that stops. */
  public void close(long limit) {
    lock.lock();
    try {
      if (reserved == 0 && unreportedTotal == 0 && granted == 0) {
        return;
      }
      exchange(clock.instant(), limit, reserved);
    } finally {
      lock.unlock();
    }
  }

  private void exchange(Instant now, long limit, long want) {
    LimitGrant grant =
        store.exchange(
            new LimitExchange(
                tenant,
                kind,
                nodeId,
                limit,
                Map.copyOf(unreported),
                reserved,
                want,
                now,
                leaseFor));
    unreported.clear();
    unreportedTotal = 0;
    granted = grant.granted();
    validUntil = now.plus(leaseFor).minus(margin);
    lastGrant = grant;
  }

  private long chunk(long limit) {
    return Math.max(1, (long) Math.ceil(limit * share));
  }
}
