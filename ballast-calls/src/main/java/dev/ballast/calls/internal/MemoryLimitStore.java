package dev.ballast.calls.internal;

import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits of one process, in memory: the same exchange as the store's (see {@link LimitStore}),
 * for a chain that shares its limits with no other node and keeps nothing across restarts.
 * Thread-safe: one lock for everything, since an exchange happens once per lease.
 */
public final class MemoryLimitStore implements LimitStore {
  private final Map<String, Limit> limits = new HashMap<>();

  /** One tenant's limit: usage by second (spend under second 0) and leases by node. */
  private static final class Limit {
    final TreeMap<Long, Long> used = new TreeMap<>();
    final Map<String, Lease> leases = new HashMap<>();
  }

  private record Lease(long amount, long expiresAtMs) {}

  @Override
  public synchronized LimitGrant exchange(LimitExchange x) {
    Limit limit = limits.computeIfAbsent(x.tenant() + "\n" + x.kind(), k -> new Limit());
    boolean windowed = x.kind().window().isPresent();
    x.used()
        .forEach((second, amount) -> limit.used.merge(windowed ? second : 0L, amount, Long::sum));
    long nowMs = x.now().toEpochMilli();
    var leases = limit.leases.entrySet().iterator();
    while (leases.hasNext()) {
      var lease = leases.next();
      boolean lapsed = lease.getValue().expiresAtMs() < nowMs;
      if (lapsed && !lease.getKey().equals(x.nodeId()) && x.kind().lapsedLeasesAreUsed()) {
        limit.used.merge(0L, lease.getValue().amount(), Long::sum);
      }
      if (lapsed || lease.getKey().equals(x.nodeId())) {
        leases.remove();
      }
    }
    long first = firstSecond(x.kind(), x.now());
    limit.used.headMap(first).clear();
    long used = limit.used.values().stream().mapToLong(Long::longValue).sum();
    long others = limit.leases.values().stream().mapToLong(Lease::amount).sum();
    long granted = Math.max(x.keep(), Math.min(x.want(), x.limit() - used - others));
    if (granted > 0) {
      limit.leases.put(x.nodeId(), new Lease(granted, nowMs + x.leaseFor().toMillis()));
    }
    Instant oldest =
        windowed && !limit.used.isEmpty() ? Instant.ofEpochSecond(limit.used.firstKey()) : null;
    return new LimitGrant(granted, used, oldest);
  }

  @Override
  public synchronized long used(String tenant, LimitKind kind, Instant now) {
    Limit limit = limits.get(tenant + "\n" + kind);
    if (limit == null) {
      return 0;
    }
    return limit.used.tailMap(firstSecond(kind, now)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  private static long firstSecond(LimitKind kind, Instant now) {
    return kind.window().map(w -> now.getEpochSecond() - w.toSeconds() + 1).orElse(0L);
  }
}
