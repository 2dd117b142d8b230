package dev.ballast.store.internal;

import dev.ballast.core.spi.NodeStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The node registry over JDBC, one row per node in {@code nodes} (V15). Thread-safe. */
final class JdbcNodeStore implements NodeStore {
  private final Connections connections;
  private final SqlFailures failures;

  JdbcNodeStore(Connections connections, SqlFailures failures) {
    this.connections = connections;
    this.failures = failures;
  }

  @Override
  public void announce(NodeRecord node) {
    try {
      connections.write(c -> upsert(c, node));
    } catch (SQLException e) {
      throw failures.of("announcing node " + node.nodeId(), e);
    }
  }

  // ON CONFLICT ... DO UPDATE is understood by PostgreSQL and SQLite alike.
  private static int upsert(Connection c, NodeRecord node) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO nodes (node_id, role, config_version, config_loaded_at, started_at,"
                + " seen_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET role ="
                + " excluded.role, config_version = excluded.config_version, config_loaded_at ="
                + " excluded.config_loaded_at, seen_at = excluded.seen_at")) {
      ps.setString(1, node.nodeId());
      ps.setString(2, node.role());
      ps.setString(3, node.configVersion());
      ps.setLong(4, node.configLoadedAt().toEpochMilli());
      ps.setLong(5, node.startedAt().toEpochMilli());
      ps.setLong(6, node.seenAt().toEpochMilli());
      return ps.executeUpdate();
    }
  }

  @Override
  public List<NodeRecord> seenSince(Instant seenSince) {
    try {
      return connections.read(c -> select(c, seenSince));
    } catch (SQLException e) {
      throw failures.of("reading the nodes", e);
    }
  }

  private static List<NodeRecord> select(Connection c, Instant seenSince) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT node_id, role, config_version, config_loaded_at, started_at, seen_at"
                + " FROM nodes WHERE seen_at >= ? ORDER BY node_id")) {
      ps.setLong(1, seenSince.toEpochMilli());
      List<NodeRecord> nodes = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          nodes.add(
              new NodeRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  Instant.ofEpochMilli(rs.getLong(4)),
                  Instant.ofEpochMilli(rs.getLong(5)),
                  Instant.ofEpochMilli(rs.getLong(6))));
        }
      }
      return nodes;
    }
  }

  @Override
  public void remove(String nodeId) {
    try {
      connections.write(
          c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE node_id = ?")) {
              ps.setString(1, nodeId);
              return ps.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw failures.of("removing node " + nodeId, e);
    }
  }
}
