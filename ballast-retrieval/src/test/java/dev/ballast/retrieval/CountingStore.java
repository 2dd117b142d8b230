package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that records from which generation each {@link #changes} read started. */
final class CountingStore implements DocumentStore {
  final List<Long> changesAfter = new CopyOnWriteArrayList<>();
  private final DocumentStore store;

  CountingStore(DocumentStore store) {
    this.store = store;
  }

  @Override
  public CollectionInfo ensureCollection(String name, String embeddingModel, int dimension) {
    return store.ensureCollection(name, embeddingModel, dimension);
  }

  @Override
  public Optional<CollectionInfo> collection(String name) {
    return store.collection(name);
  }

  @Override
  public List<CollectionInfo> collections() {
    return store.collections();
  }

  @Override
  public IngestResult commit(
      String collection, String model, List<DocumentChunks> documents, List<String> removed) {
    return store.commit(collection, model, documents, removed);
  }

  @Override
  public Set<String> liveContentHashes(String collection, String documentId) {
    return store.liveContentHashes(collection, documentId);
  }

  @Override
  public ChunkPage changes(String collection, long after, long upTo, String afterId, int limit) {
    changesAfter.add(after);
    return store.changes(collection, after, upTo, afterId, limit);
  }

  @Override
  public List<ChunkRecord> chunks(String collection, List<String> ids) {
    return store.chunks(collection, ids);
  }

  @Override
  public List<GenerationRecord> generations(String collection, long after, long upTo) {
    return store.generations(collection, after, upTo);
  }

  @Override
  public OptionalLong oldestPinnedGeneration(String collection) {
    return store.oldestPinnedGeneration(collection);
  }
}
