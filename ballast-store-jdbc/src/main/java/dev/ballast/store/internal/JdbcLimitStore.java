package dev.ballast.store.internal;

import dev.ballast.core.journal.Payload;
import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * Tenant limits over JDBC (docs/limits.md). An exchange is one write transaction: on PostgreSQL it
 * first takes a transaction-scoped advisory lock named by the tenant and kind, so exchanges of one
 * limit are serialized across nodes while the count and the grant are made; SQLite has a single
 * writer and needs none. Thread-safe.
 */
final class JdbcLimitStore implements LimitStore {
  private final Dialect dialect;
  private final Connections connections;
  private final SqlFailures failures;

  JdbcLimitStore(Dialect dialect, Connections connections, SqlFailures failures) {
    this.dialect = dialect;
    this.connections = connections;
    this.failures = failures;
  }

  @Override
  public LimitGrant exchange(LimitExchange x) {
    try {
      return connections.write(c -> exchange(c, x));
    } catch (SQLException e) {
      throw failures.of("exchanging a lease of tenant " + x.tenant() + "'s " + x.kind(), e);
    }
  }

  @Override
  public long used(String tenant, LimitKind kind, Instant now) {
    try {
      return connections.read(c -> used(c, tenant, kind, firstSecond(kind, now)));
    } catch (SQLException e) {
      throw failures.of("reading tenant " + tenant + "'s " + kind.wireName(), e);
    }
  }

  private LimitGrant exchange(Connection c, LimitExchange x) throws SQLException {
    String kind = x.kind().wireName();
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, lockKey(x.tenant(), kind));
        ps.executeQuery().close();
      }
    }
    for (Map.Entry<Long, Long> use : x.used().entrySet()) {
      if (use.getValue() > 0) {
        long second = x.kind().window().isPresent() ? use.getKey() : 0;
        addUsage(c, x.tenant(), kind, second, use.getValue());
      }
    }
    long nowMs = x.now().toEpochMilli();
    if (x.kind().lapsedLeasesAreUsed()) {
      long lapsed =
          sum(
              c,
              "SELECT COALESCE(SUM(amount), 0) FROM limit_leases"
                  + " WHERE tenant = ? AND kind = ? AND expires_at < ? AND node_id <> ?",
              x.tenant(),
              kind,
              nowMs,
              x.nodeId());
      if (lapsed > 0) {
        addUsage(c, x.tenant(), kind, 0, lapsed);
      }
    }
    update(
        c,
        "DELETE FROM limit_leases WHERE tenant = ? AND kind = ? AND (node_id = ? OR expires_at < ?)",
        x.tenant(),
        kind,
        x.nodeId(),
        nowMs);
    long first = firstSecond(x.kind(), x.now());
    if (x.kind().window().isPresent()) {
      update(
          c,
          "DELETE FROM limit_usage WHERE tenant = ? AND kind = ? AND at_second < ?",
          x.tenant(),
          kind,
          first);
    }
    long used = used(c, x.tenant(), x.kind(), first);
    long others =
        sum(
            c,
            "SELECT COALESCE(SUM(amount), 0) FROM limit_leases WHERE tenant = ? AND kind = ?",
            x.tenant(),
            kind);
    long room = x.limit() - used - others;
    long granted = Math.max(x.keep(), Math.min(x.want(), room));
    if (granted > 0) {
      update(
          c,
          "INSERT INTO limit_leases (tenant, kind, node_id, amount, expires_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          x.tenant(),
          kind,
          x.nodeId(),
          granted,
          nowMs + x.leaseFor().toMillis());
    }
    return new LimitGrant(granted, used, oldest(c, x.tenant(), x.kind(), first));
  }

  /** The first second inside the window ending at {@code now}; 0 for spend. */
  private static long firstSecond(LimitKind kind, Instant now) {
    return kind.window().map(w -> now.getEpochSecond() - w.toSeconds() + 1).orElse(0L);
  }

  private static void addUsage(Connection c, String tenant, String kind, long second, long amount)
      throws SQLException {
    update(
        c,
        "INSERT INTO limit_usage (tenant, kind, at_second, used) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (tenant, kind, at_second)"
            + " DO UPDATE SET used = limit_usage.used + excluded.used",
        tenant,
        kind,
        second,
        amount);
  }

  private static long used(Connection c, String tenant, LimitKind kind, long first)
      throws SQLException {
    return sum(
        c,
        "SELECT COALESCE(SUM(used), 0) FROM limit_usage"
            + " WHERE tenant = ? AND kind = ? AND at_second >= ?",
        tenant,
        kind.wireName(),
        first);
  }

  private static Instant oldest(Connection c, String tenant, LimitKind kind, long first)
      throws SQLException {
    if (kind.window().isEmpty()) {
      return null;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT MIN(at_second) FROM limit_usage"
                + " WHERE tenant = ? AND kind = ? AND at_second >= ? AND used > 0")) {
      bind(ps, tenant, kind.wireName(), first);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long second = rs.getLong(1);
        return rs.wasNull() ? null : Instant.ofEpochSecond(second);
      }
    }
  }

  private static long sum(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof Long l) {
        ps.setLong(i + 1, l);
      } else {
        ps.setString(i + 1, (String) args[i]);
      }
    }
  }

  /** A stable 64-bit name for the advisory lock of one tenant's limit. */
  static long lockKey(String tenant, String kind) {
    String hex =
        Payload.sha256(("ballast-limits/" + tenant + "/" + kind).getBytes(StandardCharsets.UTF_8));
    return Long.parseUnsignedLong(hex.substring(0, 16), 16);
  }
}
