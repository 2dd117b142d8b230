package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.ballast.core.Json;
import dev.ballast.core.access.ManagedKey;
import dev.ballast.core.config.TenantLimits;
import dev.ballast.core.spi.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Managed keys over JDBC, one row per key in {@code managed_keys} (V8). Rows are inserted and
 * revoked, never deleted or otherwise changed, so a cached copy can only be stale in one way: it
 * may not know of a revocation yet. Thread-safe.
 */
final class JdbcKeyStore implements KeyStore {
  private static final String COLUMNS =
      "key_id, key_hash, hint, tenant, name, admin, models, pipelines, rpm, tpm, budget_usd,"
          + " created_by, created_at, expires_at, revoked_at";
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  private final Connections connections;
  private final SqlFailures failures;

  JdbcKeyStore(Connections connections, SqlFailures failures) {
    this.connections = connections;
    this.failures = failures;
  }

  @Override
  public void create(ManagedKey key) {
    int inserted;
    try {
      inserted = connections.write(c -> insert(c, key));
    } catch (SQLException e) {
      throw failures.of("creating a managed key", e);
    }
    if (inserted != 1) {
      throw new IllegalArgumentException("key " + key.id() + " or its hash already exists");
    }
  }

  private static int insert(Connection c, ManagedKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO managed_keys ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, key.id());
      ps.setString(2, key.keyHash());
      ps.setString(3, key.hint());
      ps.setString(4, key.tenant());
      ps.setString(5, key.name());
      ps.setInt(6, key.admin() ? 1 : 0);
      ps.setString(7, names(key.models()));
      ps.setString(8, names(key.pipelines()));
      ps.setInt(9, key.limits().requestsPerMinute());
      ps.setInt(10, key.limits().tokensPerMinute());
      ps.setDouble(11, key.limits().budgetUsd());
      ps.setString(12, key.createdBy());
      ps.setLong(13, key.createdAt().toEpochMilli());
      setInstant(ps, 14, key.expiresAt());
      setInstant(ps, 15, key.revokedAt());
      return ps.executeUpdate();
    }
  }

  @Override
  public Optional<ManagedKey> findByHash(String keyHash) {
    return one("reading a managed key", "key_hash", keyHash);
  }

  @Override
  public Optional<ManagedKey> find(String id) {
    return one("reading a managed key", "key_id", id);
  }

  @Override
  public List<ManagedKey> list(String tenant, boolean includeRevoked) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM managed_keys WHERE 1 = 1");
    if (tenant != null) {
      sql.append(" AND tenant = ?");
    }
    if (!includeRevoked) {
      sql.append(" AND revoked_at IS NULL");
    }
    sql.append(" ORDER BY created_at DESC, key_id DESC");
    try {
      return connections.read(
          c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
              if (tenant != null) {
                ps.setString(1, tenant);
              }
              try (ResultSet rs = ps.executeQuery()) {
                List<ManagedKey> keys = new ArrayList<>();
                while (rs.next()) {
                  keys.add(key(rs));
                }
                return keys;
              }
            }
          });
    } catch (SQLException e) {
      throw failures.of("listing managed keys", e);
    }
  }

  @Override
  public Optional<ManagedKey> revoke(String id, Instant at) {
    try {
      return connections.write(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE managed_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
              ps.setLong(1, at.toEpochMilli());
              ps.setString(2, id);
              ps.executeUpdate();
            }
            return select(c, "key_id", id);
          });
    } catch (SQLException e) {
      throw failures.of("revoking a managed key", e);
    }
  }

  private Optional<ManagedKey> one(String what, String column, String value) {
    try {
      return connections.read(c -> select(c, column, value));
    } catch (SQLException e) {
      throw failures.of(what, e);
    }
  }

  private static Optional<ManagedKey> select(Connection c, String column, String value)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM managed_keys WHERE " + column + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(key(rs)) : Optional.empty();
      }
    }
  }

  private static ManagedKey key(ResultSet rs) throws SQLException {
    return new ManagedKey(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6) != 0,
        names(rs.getString(7)),
        names(rs.getString(8)),
        TenantLimits.of(rs.getInt(9), rs.getInt(10), rs.getDouble(11)),
        rs.getString(12),
        Instant.ofEpochMilli(rs.getLong(13)),
        instant(rs, 14),
        instant(rs, 15));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static void setInstant(PreparedStatement ps, int index, Instant value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value.toEpochMilli());
    }
  }

  private static String names(List<String> names) {
    try {
      return names == null ? null : Json.mapper().writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of names is plain JSON", e);
    }
  }

  private static List<String> names(String json) throws SQLException {
    try {
      return json == null ? null : Json.mapper().readValue(json, NAMES);
    } catch (JsonProcessingException e) {
      throw new SQLException("managed_keys holds a list that is not JSON: " + e.getMessage(), e);
    }
  }
}
