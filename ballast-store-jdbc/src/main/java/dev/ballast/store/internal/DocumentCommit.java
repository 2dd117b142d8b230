package dev.ballast.store.internal;

import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.NewChunk;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One document's part of a commit: its live chunks become exactly its new chunk list
 * (docs/state.md, invariant 3). A new chunk whose content the document already holds live keeps
 * that row (same id and vector); the live rows left unmatched retire at the new generation; the
 * rest are inserted. Matching is by content hash, occurrence by occurrence, so repeated text keeps
 * one row per repeat.
 */
final class DocumentCommit {
  private final String collection;
  private final long generation;
  private final CollectionInfo info;
  private final String model;
  private final DocumentChunks document;
  private final PreparedStatement insert;
  private final PreparedStatement retire;
  private final GenerationDigest digest;

  DocumentCommit(
      String collection,
      long generation,
      CollectionInfo info,
      String model,
      DocumentChunks document,
      PreparedStatement insert,
      PreparedStatement retire,
      GenerationDigest digest) {
    this.collection = collection;
    this.generation = generation;
    this.info = info;
    this.model = model;
    this.document = document;
    this.insert = insert;
    this.retire = retire;
    this.digest = digest;
  }

  /**
   * Adds this document's inserts and retirements to the batches and the generation's digest; counts
   * {added, retired, kept}.
   */
  void apply(List<ChunkRecord> live, int[] counts) throws SQLException {
    Map<String, Deque<ChunkRecord>> unmatched = new HashMap<>();
    Map<String, float[]> vectors = new HashMap<>();
    for (ChunkRecord chunk : live) {
      unmatched.computeIfAbsent(chunk.contentHash(), h -> new ArrayDeque<>()).add(chunk);
      vectors.put(chunk.contentHash(), chunk.vector());
    }
    Map<String, Integer> occurrences = new HashMap<>();
    for (NewChunk chunk : document.chunks()) {
      int occurrence = occurrences.merge(chunk.contentHash(), 1, Integer::sum) - 1;
      Deque<ChunkRecord> same = unmatched.get(chunk.contentHash());
      if (same != null && !same.isEmpty()) {
        same.poll();
        counts[2]++;
        continue;
      }
      insert(chunk, occurrence, vector(chunk, vectors));
      counts[0]++;
    }
    for (Deque<ChunkRecord> left : unmatched.values()) {
      for (ChunkRecord chunk : left) {
        retire.setLong(1, generation);
        retire.setString(2, collection);
        retire.setString(3, chunk.id());
        retire.addBatch();
        digest.retired(chunk.id());
        counts[1]++;
      }
    }
  }

  private float[] vector(NewChunk chunk, Map<String, float[]> vectors) {
    float[] vector = chunk.vector() != null ? chunk.vector() : vectors.get(chunk.contentHash());
    if (vector == null) {
      throw new IllegalArgumentException(
          "document "
              + document.documentId()
              + " chunk "
              + chunk.ordinal()
              + " has no vector, and the document holds no live chunk with its content to reuse"
              + " one from");
    }
    if (vector.length != info.dimension()) {
      throw new EmbeddingModelMismatchException(
          collection, info.embeddingModel(), info.dimension(), model, vector.length);
    }
    return vector;
  }

  private void insert(NewChunk chunk, int occurrence, float[] vector) throws SQLException {
    String id =
        JdbcDocuments.chunkId(
            collection, document.documentId(), chunk.contentHash(), occurrence, generation);
    insert.setString(1, collection);
    insert.setString(2, id);
    insert.setString(3, document.documentId());
    insert.setString(4, document.title());
    insert.setInt(5, chunk.ordinal());
    insert.setString(6, chunk.text());
    insert.setString(7, chunk.contentHash());
    insert.setString(8, JdbcDocuments.headingsJson(chunk.headings()));
    insert.setLong(9, generation);
    insert.setBytes(10, Vectors.bytes(vector));
    insert.setString(11, document.contentType());
    insert.addBatch();
    digest.added(id, chunk.contentHash());
  }
}
