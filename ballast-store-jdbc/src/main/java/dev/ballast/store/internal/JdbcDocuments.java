package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.ballast.core.Json;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import dev.ballast.core.state.UnknownCollectionException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Collections, generations and chunks over JDBC (docs/state.md, invariants 1–4). A commit is one
 * transaction that first bumps the collection's generation with an {@code UPDATE ... RETURNING}: on
 * PostgreSQL that row lock serialises commits to one collection across nodes, on SQLite the single
 * writer does.
 */
final class JdbcDocuments {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String CHUNK_COLUMNS =
      "collection, id, document_id, title, ordinal, text, content_hash, headings, from_generation,"
          + " to_generation, vector";

  // Rows of one commit's batches sent at a time, so that a large generation does not hold every
  // row's parameters in the driver at once.
  private static final int FLUSH_ROWS = 1_000;

  private final Dialect dialect;
  private final Connections connections;
  private final JdbcGenerations generations;

  JdbcDocuments(Dialect dialect, Connections connections) {
    this.dialect = dialect;
    this.connections = connections;
    this.generations = new JdbcGenerations(dialect, connections);
  }

  CollectionInfo ensure(String name, String model, int dimension, Instant now) throws SQLException {
    CollectionInfo info =
        connections.write(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO collections (name, embedding_model, dimension, generation,"
                          + " updated_at) VALUES (?, ?, ?, 0, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, model);
                ps.setInt(3, dimension);
                dialect.setInstant(ps, 4, now);
                ps.executeUpdate();
              }
              return find(c, name).orElseThrow();
            });
    requireModel(info, model, dimension);
    return info;
  }

  Optional<CollectionInfo> collection(String name) throws SQLException {
    return connections.read(c -> find(c, name));
  }

  List<CollectionInfo> collections() throws SQLException {
    return connections.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT * FROM collections ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            List<CollectionInfo> all = new ArrayList<>();
            while (rs.next()) {
              all.add(info(rs));
            }
            return all;
          }
        });
  }

  IngestResult commit(
      String collection,
      String model,
      List<DocumentChunks> documents,
      List<String> removed,
      Instant now)
      throws SQLException {
    return connections.write(
        c -> {
          CollectionInfo info = nextGeneration(c, collection, now);
          requireModel(info, model, info.dimension());
          long g = info.generation();
          GenerationDigest digest = new GenerationDigest();
          int[] counts = new int[3]; // added, retired, unchanged
          try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO chunks ("
                          + CHUNK_COLUMNS
                          + ", content_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)");
              PreparedStatement retire =
                  c.prepareStatement(
                      "UPDATE chunks SET to_generation = ? WHERE collection = ? AND id = ?")) {
            int pending = 0;
            for (DocumentChunks document : documents) {
              new DocumentCommit(collection, g, info, model, document, insert, retire, digest)
                  .apply(live(c, collection, document.documentId()), counts);
              pending += document.chunks().size();
              if (pending >= FLUSH_ROWS) {
                insert.executeBatch();
                retire.executeBatch();
                pending = 0;
              }
            }
            insert.executeBatch();
            retire.executeBatch();
          }
          counts[1] += retireDocuments(c, collection, removed, g, digest);
          generations.record(c, collection, g, digest, now);
          return new IngestResult(
              collection, g, documents.size() + removed.size(), counts[0], counts[1], counts[2]);
        });
  }

  Set<String> liveContentHashes(String collection, String documentId) throws SQLException {
    return connections.read(
        c -> {
          Set<String> hashes = new HashSet<>();
          for (ChunkRecord chunk : live(c, collection, documentId)) {
            hashes.add(chunk.contentHash());
          }
          return hashes;
        });
  }

  ChunkPage changes(String collection, long after, long upTo, String afterId, int limit)
      throws SQLException {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, but was " + limit);
    }
    return connections.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + CHUNK_COLUMNS
                      + " FROM chunks WHERE collection = ? AND id > ? AND ((from_generation > ?"
                      + " AND from_generation <= ?) OR (to_generation > ? AND to_generation <= ?))"
                      + " ORDER BY id LIMIT ?")) {
            ps.setString(1, collection);
            ps.setString(2, afterId == null ? "" : afterId);
            ps.setLong(3, after);
            ps.setLong(4, upTo);
            ps.setLong(5, after);
            ps.setLong(6, upTo);
            ps.setInt(7, limit + 1);
            List<ChunkRecord> chunks = chunks(ps);
            if (chunks.size() <= limit) {
              return new ChunkPage(chunks, null);
            }
            List<ChunkRecord> page = chunks.subList(0, limit);
            return new ChunkPage(page, page.getLast().id());
          }
        });
  }

  List<ChunkRecord> chunks(String collection, List<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    return connections.read(
        c -> {
          String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + CHUNK_COLUMNS
                      + " FROM chunks WHERE collection = ? AND id IN ("
                      + marks
                      + ")")) {
            ps.setString(1, collection);
            for (int i = 0; i < ids.size(); i++) {
              ps.setString(i + 2, ids.get(i));
            }
            return chunks(ps);
          }
        });
  }

  /** The id of a chunk that first became live at {@code generation}; see {@link ChunkRecord}. */
  static String chunkId(
      String collection, String documentId, String contentHash, int occurrence, long generation) {
    String key =
        collection
            + '\u0000'
            + documentId
            + '\u0000'
            + contentHash
            + '\u0000'
            + occurrence
            + '\u0000'
            + generation;
    return Payload.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  private CollectionInfo nextGeneration(Connection c, String collection, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE collections SET generation = generation + 1, updated_at = ? WHERE name = ?"
                + " RETURNING *")) {
      dialect.setInstant(ps, 1, now);
      ps.setString(2, collection);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new UnknownCollectionException(collection);
        }
        return info(rs);
      }
    }
  }

  private int retireDocuments(
      Connection c, String collection, List<String> removed, long g, GenerationDigest digest)
      throws SQLException {
    int retired = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE chunks SET to_generation = ? WHERE collection = ? AND document_id = ?"
                + " AND to_generation IS NULL")) {
      for (String document : removed) {
        // Read first, in the same transaction: the digest counts each retired chunk by id.
        for (ChunkRecord chunk : live(c, collection, document)) {
          digest.retired(chunk.id());
        }
        ps.setLong(1, g);
        ps.setString(2, collection);
        ps.setString(3, document);
        retired += ps.executeUpdate();
      }
    }
    return retired;
  }

  List<GenerationRecord> generations(String collection, long after, long upTo) throws SQLException {
    return generations.list(collection, after, upTo);
  }

  OptionalLong oldestPinnedGeneration(String collection) throws SQLException {
    return generations.oldestPinned(collection);
  }

  private List<ChunkRecord> live(Connection c, String collection, String documentId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + CHUNK_COLUMNS
                + " FROM chunks WHERE collection = ? AND document_id = ? AND to_generation IS NULL"
                + " ORDER BY ordinal, id")) {
      ps.setString(1, collection);
      ps.setString(2, documentId);
      return chunks(ps);
    }
  }

  private Optional<CollectionInfo> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM collections WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(info(rs)) : Optional.empty();
      }
    }
  }

  private CollectionInfo info(ResultSet rs) throws SQLException {
    return new CollectionInfo(
        rs.getString("name"),
        rs.getString("embedding_model"),
        rs.getInt("dimension"),
        rs.getLong("generation"),
        dialect.instant(rs, "updated_at"));
  }

  private static List<ChunkRecord> chunks(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<ChunkRecord> chunks = new ArrayList<>();
      while (rs.next()) {
        long to = rs.getLong("to_generation");
        Long toGeneration = rs.wasNull() ? null : to;
        chunks.add(
            new ChunkRecord(
                rs.getString("id"),
                rs.getString("collection"),
                rs.getString("document_id"),
                rs.getString("title"),
                rs.getInt("ordinal"),
                rs.getString("text"),
                rs.getString("content_hash"),
                headings(rs.getString("headings")),
                rs.getLong("from_generation"),
                toGeneration,
                Vectors.floats(rs.getBytes("vector"))));
      }
      return chunks;
    }
  }

  static String headingsJson(List<String> headings) {
    try {
      return Json.mapper().writeValueAsString(headings);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> headings(String json) throws SQLException {
    try {
      return Json.mapper().readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable chunk headings: " + e.getOriginalMessage(), e);
    }
  }

  private static void requireModel(CollectionInfo info, String model, int dimension) {
    if (!info.embeddingModel().equals(model) || info.dimension() != dimension) {
      throw new EmbeddingModelMismatchException(
          info.name(), info.embeddingModel(), info.dimension(), model, dimension);
    }
  }
}
