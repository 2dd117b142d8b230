package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import dev.ballast.core.state.NewChunk;
import dev.ballast.core.state.UnknownCollectionException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link DocumentStore} in memory that keeps the store's invariants (docs/state.md 1–4): atomic
 * consecutive generations, chunk rows immutable but for their retirement, content-matched
 * re-ingestion, one model per collection. Ids are derived like the JDBC store's.
 */
final class InMemoryDocumentStore implements DocumentStore {
  private final Map<String, CollectionInfo> collections = new TreeMap<>();
  // Per collection, chunks by id (sorted, as changes() pages by id).
  private final Map<String, TreeMap<String, ChunkRecord>> chunks = new HashMap<>();
  private final Map<String, Long> pinned = new HashMap<>();

  /** Makes {@link #oldestPinnedGeneration} answer {@code generation} for {@code collection}. */
  synchronized void pin(String collection, long generation) {
    pinned.put(collection, generation);
  }

  @Override
  public synchronized OptionalLong oldestPinnedGeneration(String collection) {
    Long g = pinned.get(collection);
    return g == null ? OptionalLong.empty() : OptionalLong.of(g);
  }

  /** The records computed from the chunks, as the JDBC store computes missing ones. */
  @Override
  public synchronized List<GenerationRecord> generations(String collection, long after, long upTo) {
    CollectionInfo info =
        collection(collection).orElseThrow(() -> new UnknownCollectionException(collection));
    long last = Math.min(upTo, info.generation());
    Map<Long, GenerationDigest> digests = new TreeMap<>();
    for (long g = 1; g <= last; g++) {
      digests.put(g, new GenerationDigest());
    }
    for (ChunkRecord c : chunks.get(collection).values()) {
      GenerationDigest added = digests.get(c.fromGeneration());
      if (added != null) {
        added.added(c.id(), c.contentHash());
      }
      GenerationDigest retired = c.toGeneration() == null ? null : digests.get(c.toGeneration());
      if (retired != null) {
        retired.retired(c.id());
      }
    }
    List<GenerationRecord> out = new ArrayList<>();
    String chain = "";
    long totalAdded = 0;
    long totalRetired = 0;
    for (var e : digests.entrySet()) {
      GenerationDigest d = e.getValue();
      chain =
          GenerationDigest.chain(chain, e.getKey(), d.addedCount(), d.retiredCount(), d.digest());
      totalAdded += d.addedCount();
      totalRetired += d.retiredCount();
      if (e.getKey() > after) {
        out.add(
            new GenerationRecord(
                collection,
                e.getKey(),
                d.addedCount(),
                d.retiredCount(),
                totalAdded,
                totalRetired,
                d.digest(),
                chain,
                Instant.EPOCH));
      }
    }
    return out;
  }

  @Override
  public synchronized CollectionInfo ensureCollection(String name, String model, int dimension) {
    CollectionInfo info =
        collections.computeIfAbsent(
            name, n -> new CollectionInfo(n, model, dimension, 0, Instant.EPOCH));
    chunks.computeIfAbsent(name, n -> new TreeMap<>());
    require(info, model, dimension);
    return info;
  }

  @Override
  public synchronized Optional<CollectionInfo> collection(String name) {
    return Optional.ofNullable(collections.get(name));
  }

  @Override
  public synchronized List<CollectionInfo> collections() {
    return List.copyOf(collections.values());
  }

  @Override
  public synchronized IngestResult commit(
      String collection, String model, List<DocumentChunks> documents, List<String> removed) {
    CollectionInfo info =
        collection(collection).orElseThrow(() -> new UnknownCollectionException(collection));
    require(info, model, info.dimension());
    long g = info.generation() + 1;
    // Stage every change first, so that a refused commit changes nothing.
    Map<String, ChunkRecord> staged = new HashMap<>();
    int added = 0;
    int retired = 0;
    int kept = 0;
    for (DocumentChunks doc : documents) {
      Map<String, Deque<ChunkRecord>> unmatched = new HashMap<>();
      Map<String, float[]> vectors = new HashMap<>();
      for (ChunkRecord c : live(collection, doc.documentId())) {
        unmatched.computeIfAbsent(c.contentHash(), h -> new ArrayDeque<>()).add(c);
        vectors.put(c.contentHash(), c.vector());
      }
      Map<String, Integer> occurrences = new HashMap<>();
      for (NewChunk c : doc.chunks()) {
        int occurrence = occurrences.merge(c.contentHash(), 1, Integer::sum) - 1;
        Deque<ChunkRecord> same = unmatched.get(c.contentHash());
        if (same != null && !same.isEmpty()) {
          same.poll();
          kept++;
          continue;
        }
        float[] vector = c.vector() != null ? c.vector() : vectors.get(c.contentHash());
        if (vector == null) {
          throw new IllegalArgumentException(
              "document " + doc.documentId() + " chunk " + c.ordinal() + " has no vector");
        }
        if (vector.length != info.dimension()) {
          throw new EmbeddingModelMismatchException(
              collection, info.embeddingModel(), info.dimension(), model, vector.length);
        }
        String id =
            Chunker.sha256(
                    collection
                        + "\0"
                        + doc.documentId()
                        + "\0"
                        + c.contentHash()
                        + "\0"
                        + occurrence
                        + "\0"
                        + g)
                .substring(0, 32);
        staged.put(
            id,
            new ChunkRecord(
                id,
                collection,
                doc.documentId(),
                doc.title(),
                c.ordinal(),
                c.text(),
                c.contentHash(),
                c.headings(),
                g,
                null,
                vector.clone()));
        added++;
      }
      for (Deque<ChunkRecord> left : unmatched.values()) {
        for (ChunkRecord c : left) {
          staged.put(c.id(), retire(c, g));
          retired++;
        }
      }
    }
    for (String doc : removed) {
      for (ChunkRecord c : live(collection, doc)) {
        staged.put(c.id(), retire(c, g));
        retired++;
      }
    }
    chunks.get(collection).putAll(staged);
    collections.put(
        collection,
        new CollectionInfo(collection, info.embeddingModel(), info.dimension(), g, Instant.EPOCH));
    return new IngestResult(collection, g, documents.size() + removed.size(), added, retired, kept);
  }

  @Override
  public synchronized Set<String> liveContentHashes(String collection, String documentId) {
    Set<String> hashes = new HashSet<>();
    for (ChunkRecord c : live(collection, documentId)) {
      hashes.add(c.contentHash());
    }
    return hashes;
  }

  @Override
  public synchronized ChunkPage changes(
      String collection, long after, long upTo, String afterId, int limit) {
    List<ChunkRecord> page = new ArrayList<>();
    TreeMap<String, ChunkRecord> all = chunks.getOrDefault(collection, new TreeMap<>());
    var tail = afterId == null ? all : all.tailMap(afterId, false);
    for (ChunkRecord c : tail.values()) {
      boolean added = c.fromGeneration() > after && c.fromGeneration() <= upTo;
      boolean retired =
          c.toGeneration() != null && c.toGeneration() > after && c.toGeneration() <= upTo;
      if (added || retired) {
        if (page.size() == limit) {
          return new ChunkPage(page, page.getLast().id());
        }
        page.add(c);
      }
    }
    return new ChunkPage(page, null);
  }

  @Override
  public synchronized List<ChunkRecord> chunks(String collection, List<String> ids) {
    List<ChunkRecord> out = new ArrayList<>();
    for (String id : ids) {
      ChunkRecord c = chunks.getOrDefault(collection, new TreeMap<>()).get(id);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private List<ChunkRecord> live(String collection, String documentId) {
    List<ChunkRecord> out = new ArrayList<>();
    for (ChunkRecord c : chunks.getOrDefault(collection, new TreeMap<>()).values()) {
      if (c.documentId().equals(documentId) && c.toGeneration() == null) {
        out.add(c);
      }
    }
    out.sort(
        java.util.Comparator.comparingInt(ChunkRecord::ordinal).thenComparing(ChunkRecord::id));
    return out;
  }

  private static ChunkRecord retire(ChunkRecord c, long g) {
    return new ChunkRecord(
        c.id(),
        c.collection(),
        c.documentId(),
        c.title(),
        c.ordinal(),
        c.text(),
        c.contentHash(),
        c.headings(),
        c.fromGeneration(),
        g,
        c.vector());
  }

  private static void require(CollectionInfo info, String model, int dimension) {
    if (!info.embeddingModel().equals(model) || info.dimension() != dimension) {
      throw new EmbeddingModelMismatchException(
          info.name(), info.embeddingModel(), info.dimension(), model, dimension);
    }
  }
}
