package dev.ballast.store.internal;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Document collections over JDBC: JdbcDocuments's SQL, with its {@link SQLException}s turned into
 * {@link StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcDocumentStore implements DocumentStore {
  private final JdbcDocuments documents;
  private final SqlFailures failures;

  JdbcDocumentStore(JdbcDocuments documents, SqlFailures failures) {
    this.documents = documents;
    this.failures = failures;
  }

  @Override
  public CollectionInfo ensureCollection(String name, String embeddingModel, int dimension) {
    try {
      return documents.ensure(name, embeddingModel, dimension, Instant.now());
    } catch (SQLException e) {
      throw failures.of("creating collection " + name, e);
    }
  }

  @Override
  public Optional<CollectionInfo> collection(String name) {
    try {
      return documents.collection(name);
    } catch (SQLException e) {
      throw failures.of("reading collection " + name, e);
    }
  }

  @Override
  public List<CollectionInfo> collections() {
    try {
      return documents.collections();
    } catch (SQLException e) {
      throw failures.of("listing collections", e);
    }
  }

  @Override
  public IngestResult commit(
      String collection,
      String embeddingModel,
      List<DocumentChunks> documentChunks,
      List<String> removed) {
    try {
      return documents.commit(collection, embeddingModel, documentChunks, removed, Instant.now());
    } catch (SQLException e) {
      throw failures.of("committing a generation of collection " + collection, e);
    }
  }

  @Override
  public Set<String> liveContentHashes(String collection, String documentId) {
    try {
      return documents.liveContentHashes(collection, documentId);
    } catch (SQLException e) {
      throw failures.of("reading document " + documentId + " of collection " + collection, e);
    }
  }

  @Override
  public ChunkPage changes(
      String collection, long afterGeneration, long upToGeneration, String afterId, int limit) {
    try {
      return documents.changes(collection, afterGeneration, upToGeneration, afterId, limit);
    } catch (SQLException e) {
      throw failures.of("reading changes of collection " + collection, e);
    }
  }

  @Override
  public List<GenerationRecord> generations(
      String collection, long afterGeneration, long upToGeneration) {
    try {
      return documents.generations(collection, afterGeneration, upToGeneration);
    } catch (SQLException e) {
      throw failures.of("reading the generations of collection " + collection, e);
    }
  }

  @Override
  public OptionalLong oldestPinnedGeneration(String collection) {
    try {
      return documents.oldestPinnedGeneration(collection);
    } catch (SQLException e) {
      throw failures.of("reading the runs that pin collection " + collection, e);
    }
  }

  @Override
  public List<ChunkRecord> chunks(String collection, List<String> ids) {
    try {
      return documents.chunks(collection, ids);
    } catch (SQLException e) {
      throw failures.of("reading chunks of collection " + collection, e);
    }
  }
}
