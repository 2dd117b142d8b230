package dev.ballast.store.internal;

import dev.ballast.core.spi.IdempotencyStore.IdempotencyRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys over JDBC. The claim is one transaction: drop the key's row if it expired or was
 * abandoned, insert ours unless a row exists, read whichever row holds the key. The primary key
 * makes the insert the arbiter between nodes racing for the same key.
 */
final class JdbcIdempotency {
  private final Connections connections;

  JdbcIdempotency(Connections connections) {
    this.connections = connections;
  }

  IdempotencyRecord claim(
      String tenant,
      String key,
      String hash,
      String runId,
      Instant now,
      Duration ttl,
      Duration abandonAfter)
      throws SQLException {
    long nowMs = now.toEpochMilli();
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM idempotency_keys WHERE tenant = ? AND idem_key = ?"
                      + " AND (expires_at < ? OR (status IS NULL AND created_at < ?))")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setLong(3, nowMs);
            ps.setLong(4, nowMs - abandonAfter.toMillis());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO idempotency_keys (tenant, idem_key, request_hash, run_id, created_at, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, idem_key) DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setString(3, hash);
            ps.setString(4, runId);
            ps.setLong(5, nowMs);
            ps.setLong(6, nowMs + ttl.toMillis());
            ps.executeUpdate();
          }
          return select(c, tenant, key).orElseThrow();
        });
  }

  void complete(String tenant, String key, String runId, int status, byte[] body)
      throws SQLException {
    connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE idempotency_keys SET status = ?, response = ? WHERE tenant = ? AND idem_key = ? AND run_id = ?")) {
            ps.setInt(1, status);
            ps.setBytes(2, body);
            ps.setString(3, tenant);
            ps.setString(4, key);
            ps.setString(5, runId);
            return ps.executeUpdate();
          }
        });
  }

  void release(String tenant, String key, String runId) throws SQLException {
    connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM idempotency_keys WHERE tenant = ? AND idem_key = ? AND run_id = ? AND status IS NULL")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setString(3, runId);
            return ps.executeUpdate();
          }
        });
  }

  int sweep(Instant now, Duration abandonAfter) throws SQLException {
    long nowMs = now.toEpochMilli();
    return connections.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM idempotency_keys"
                      + " WHERE expires_at < ? OR (status IS NULL AND created_at < ?)")) {
            ps.setLong(1, nowMs);
            ps.setLong(2, nowMs - abandonAfter.toMillis());
            return ps.executeUpdate();
          }
        });
  }

  Optional<IdempotencyRecord> find(String tenant, String key) throws SQLException {
    return connections.read(c -> select(c, tenant, key));
  }

  private static Optional<IdempotencyRecord> select(Connection c, String tenant, String key)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT run_id, request_hash, status, response, created_at FROM idempotency_keys"
                + " WHERE tenant = ? AND idem_key = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int status = rs.getInt(3);
        Integer boxed = rs.wasNull() ? null : status;
        return Optional.of(
            new IdempotencyRecord(
                rs.getString(1),
                rs.getString(2),
                boxed,
                rs.getBytes(4),
                Instant.ofEpochMilli(rs.getLong(5))));
      }
    }
  }
}
