package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ballast.core.Json;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.StatePins;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The per-generation records of collections (docs/state.md, invariant 10) and the oldest generation
 * an unfinished run pins. A commit writes its generation's record in its own transaction; a
 * generation committed before the store kept records gets one computed from the chunk rows, which
 * give the same digest because chunk rows never change except for the one {@code to_generation} the
 * retiring generation sets.
 */
final class JdbcGenerations {
  private static final String COLUMNS =
      "collection, generation, added, retired, total_added, total_retired, digest, chain,"
          + " committed_at";

  private final Dialect dialect;
  private final Connections connections;

  JdbcGenerations(Dialect dialect, Connections connections) {
    this.dialect = dialect;
    this.connections = connections;
  }

  /**
   * Writes the record of generation {@code g}, whose changes {@code digest} counted, inside the
   * commit's transaction (which holds the collection's row lock); fills in missing earlier records
   * first.
   */
  void record(Connection c, String collection, long g, GenerationDigest digest, Instant now)
      throws SQLException {
    GenerationRecord previous = g == 1 ? null : last(c, collection, g - 1, now);
    insert(c, next(collection, g, previous, digest, now));
  }

  List<GenerationRecord> list(String collection, long after, long upTo) throws SQLException {
    long committed = connections.read(c -> committed(c, collection));
    long last = Math.min(upTo, committed);
    if (last <= after) {
      return List.of();
    }
    List<GenerationRecord> rows = connections.read(c -> select(c, collection, after, last));
    if (rows.size() == last - after) {
      return rows;
    }
    return connections.write(
        c -> {
          backfill(c, collection, last, Instant.now());
          return select(c, collection, after, last);
        });
  }

  /**
   * The oldest generation of {@code collection} pinned by a run that may still execute. A failed or
   * succeeded run is final; a dead one may be resumed by an operator, so its pins still count.
   */
  OptionalLong oldestPinned(String collection) throws SQLException {
    return connections.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT pins FROM run_queue WHERE pins IS NOT NULL"
                      + " AND state IN ('queued', 'running', 'waiting', 'dead')")) {
            ps.setFetchSize(1000);
            long oldest = Long.MAX_VALUE;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Long g = pins(rs.getString(1)).generation(collection);
                if (g != null) {
                  oldest = Math.min(oldest, g);
                }
              }
            }
            return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
          }
        });
  }

  /** The record of {@code g}, computing it (and any missing before it) from the chunk rows. */
  private GenerationRecord last(Connection c, String collection, long g, Instant now)
      throws SQLException {
    List<GenerationRecord> rows = select(c, collection, g - 1, g);
    if (rows.isEmpty()) {
      backfill(c, collection, g, now);
      rows = select(c, collection, g - 1, g);
    }
    return rows.getFirst();
  }

  /**
   * Computes the missing records up to {@code upTo} from the chunk rows: one pass over the chunks
   * that were added or retired after the newest record there is.
   */
  private void backfill(Connection c, String collection, long upTo, Instant now)
      throws SQLException {
    GenerationRecord base = newest(c, collection, upTo);
    long from = base == null ? 0 : base.generation();
    TreeMap<Long, GenerationDigest> digests = new TreeMap<>();
    for (long g = from + 1; g <= upTo; g++) {
      digests.put(g, new GenerationDigest());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, content_hash, from_generation, to_generation FROM chunks"
                + " WHERE collection = ? AND (from_generation > ? OR to_generation > ?)")) {
      ps.setString(1, collection);
      ps.setLong(2, from);
      ps.setLong(3, from);
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          GenerationDigest added = digests.get(rs.getLong(3));
          if (added != null) {
            added.added(rs.getString(1), rs.getString(2));
          }
          long to = rs.getLong(4);
          GenerationDigest retired = rs.wasNull() ? null : digests.get(to);
          if (retired != null) {
            retired.retired(rs.getString(1));
          }
        }
      }
    }
    GenerationRecord previous = base;
    for (var e : digests.entrySet()) {
      GenerationRecord next = next(collection, e.getKey(), previous, e.getValue(), now);
      insert(c, next);
      previous = next;
    }
  }

  private static GenerationRecord next(
      String collection, long g, GenerationRecord previous, GenerationDigest digest, Instant now) {
    String chain =
        GenerationDigest.chain(
            previous == null ? "" : previous.chain(),
            g,
            digest.addedCount(),
            digest.retiredCount(),
            digest.digest());
    return new GenerationRecord(
        collection,
        g,
        digest.addedCount(),
        digest.retiredCount(),
        (previous == null ? 0 : previous.totalAdded()) + digest.addedCount(),
        (previous == null ? 0 : previous.totalRetired()) + digest.retiredCount(),
        digest.digest(),
        chain,
        now);
  }

  private void insert(Connection c, GenerationRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO collection_generations ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, r.collection());
      ps.setLong(2, r.generation());
      ps.setInt(3, r.added());
      ps.setInt(4, r.retired());
      ps.setLong(5, r.totalAdded());
      ps.setLong(6, r.totalRetired());
      ps.setString(7, r.digest());
      ps.setString(8, r.chain());
      dialect.setInstant(ps, 9, r.committedAt());
      ps.executeUpdate();
    }
  }

  private GenerationRecord newest(Connection c, String collection, long atMost)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM collection_generations WHERE collection = ? AND generation <= ?"
                + " ORDER BY generation DESC LIMIT 1")) {
      ps.setString(1, collection);
      ps.setLong(2, atMost);
      List<GenerationRecord> rows = rows(ps);
      return rows.isEmpty() ? null : rows.getFirst();
    }
  }

  private List<GenerationRecord> select(Connection c, String collection, long after, long upTo)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM collection_generations WHERE collection = ? AND generation > ?"
                + " AND generation <= ? ORDER BY generation")) {
      ps.setString(1, collection);
      ps.setLong(2, after);
      ps.setLong(3, upTo);
      return rows(ps);
    }
  }

  private List<GenerationRecord> rows(PreparedStatement ps) throws SQLException {
    List<GenerationRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new GenerationRecord(
                rs.getString("collection"),
                rs.getLong("generation"),
                rs.getInt("added"),
                rs.getInt("retired"),
                rs.getLong("total_added"),
                rs.getLong("total_retired"),
                rs.getString("digest"),
                rs.getString("chain"),
                dialect.instant(rs, "committed_at")));
      }
    }
    return out;
  }

  private static long committed(Connection c, String collection) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT generation FROM collections WHERE name = ?")) {
      ps.setString(1, collection);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new dev.ballast.core.state.UnknownCollectionException(collection);
        }
        return rs.getLong(1);
      }
    }
  }

  private static StatePins pins(String json) throws SQLException {
    try {
      return Json.mapper().readValue(json, StatePins.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable pins of a queued run: " + e.getOriginalMessage(), e);
    }
  }
}
