package dev.ballast.store.internal;

import dev.ballast.core.stats.GenerationStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What each of a collection's latest generations holds. A chunk is live in generation {@code g}
 * when {@code from_generation <= g} and {@code to_generation} is null or greater than {@code g};
 * counting per generation reads the chunk ranges on the {@code chunks_by_from} and {@code
 * chunks_by_to} indexes.
 */
final class JdbcGenerationStats {
  private static final String LIVE =
      "SELECT count(*) AS chunks, count(DISTINCT document_id) AS documents FROM chunks"
          + " WHERE collection = ? AND from_generation <= ?"
          + " AND (to_generation IS NULL OR to_generation > ?)";

  List<GenerationStats> read(Connection c, String collection, int limit) throws SQLException {
    long latest = latest(c, collection);
    List<GenerationStats> out = new ArrayList<>();
    for (long g = latest; g >= 1 && out.size() < limit; g--) {
      out.add(generation(c, collection, g));
    }
    return out;
  }

  private static long latest(Connection c, String collection) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT generation FROM collections WHERE name = ?")) {
      ps.setString(1, collection);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static GenerationStats generation(Connection c, String collection, long g)
      throws SQLException {
    long chunks;
    long documents;
    try (PreparedStatement ps = c.prepareStatement(LIVE)) {
      ps.setString(1, collection);
      ps.setLong(2, g);
      ps.setLong(3, g);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        chunks = rs.getLong("chunks");
        documents = rs.getLong("documents");
      }
    }
    return new GenerationStats(
        g,
        documents,
        chunks,
        count(c, "from_generation", collection, g),
        count(c, "to_generation", collection, g));
  }

  private static long count(Connection c, String column, String collection, long g)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM chunks WHERE collection = ? AND " + column + " = ?")) {
      ps.setString(1, collection);
      ps.setLong(2, g);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
