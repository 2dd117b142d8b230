package dev.ballast.retrieval.internal;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.GenerationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.IndexWriter;

/**
 * Applies the store's changes of generations {@code (after, upTo]} to an index writer and checks
 * them against the store's generation records (docs/state.md, invariant 11): the chunks added and
 * retired in each generation must give the store's digest of it. One thread reads pages from the
 * store while up to {@code threads} others add them, each into a segment of its own, so that
 * building the nearest-neighbour graph of a large catch-up uses every core.
 */
public final class ChangeApplier {
  static final int PAGE = 1_000;

  private final DocumentStore store;
  private final String collection;
  private final int dimension;
  private final int threads;
  private long maxFrom;
  private long minTo;

  /** The result: the store's record of {@code upTo} and the bounds of the chunks applied. */
  public record Applied(GenerationRecord last, long maxFrom, long minTo) {}

  public ChangeApplier(
      DocumentStore store,
      String collection,
      int dimension,
      int threads,
      long maxFrom,
      long minTo) {
    this.store = store;
    this.collection = collection;
    this.dimension = dimension;
    this.threads = threads;
    this.maxFrom = maxFrom;
    this.minTo = minTo;
  }

  /**
   * Adds the chunks new in {@code (after, upTo]} and replaces (by id) the chunks that retired in
   * it; nothing is committed.
   *
   * @throws IllegalStateException when a chunk has no vector of the collection's dimension, or the
   *     changes read do not give the store's digest of a generation
   */
  public Applied apply(IndexWriter writer, long after, long upTo) throws IOException {
    Map<Long, GenerationDigest> digests = new HashMap<>();
    for (long g = after + 1; g <= upTo; g++) {
      digests.put(g, new GenerationDigest());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().factory());
    List<Future<?>> pending = new ArrayList<>();
    try {
      String afterId = null;
      do {
        ChunkPage page = store.changes(collection, after, upTo, afterId, PAGE);
        for (ChunkRecord chunk : page.chunks()) {
          count(chunk, after, upTo, digests);
        }
        pending.add(pool.submit(() -> add(writer, page.chunks(), after)));
        if (pending.size() > 2 * threads) {
          await(pending.removeFirst());
        }
        afterId = page.nextAfterId();
      } while (afterId != null);
      for (Future<?> f : pending) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Applied(verify(after, upTo, digests), maxFrom, minTo);
  }

  private void count(
      ChunkRecord chunk, long after, long upTo, Map<Long, GenerationDigest> digests) {
    if (chunk.vector() == null || chunk.vector().length != dimension) {
      throw new IllegalStateException(
          "chunk " + chunk.id() + " of " + collection + " has no vector of dimension " + dimension);
    }
    if (chunk.fromGeneration() > after && chunk.fromGeneration() <= upTo) {
      digests.get(chunk.fromGeneration()).added(chunk.id(), chunk.contentHash());
    }
    Long to = chunk.toGeneration();
    if (to != null && to > after && to <= upTo) {
      digests.get(to).retired(chunk.id());
    }
    maxFrom = Math.max(maxFrom, chunk.fromGeneration());
    minTo = Math.min(minTo, ChunkDocuments.to(chunk));
  }

  /**
   * A chunk that became live after {@code after} cannot be in the index yet, so it is added; one
   * that was live before is there and is replaced, now carrying its retirement.
   */
  private static Void add(IndexWriter writer, List<ChunkRecord> chunks, long after)
      throws IOException {
    for (ChunkRecord chunk : chunks) {
      if (chunk.fromGeneration() > after) {
        writer.addDocument(ChunkDocuments.toDocument(chunk));
      } else {
        writer.updateDocument(ChunkDocuments.idTerm(chunk.id()), ChunkDocuments.toDocument(chunk));
      }
    }
    return null;
  }

  private GenerationRecord verify(long after, long upTo, Map<Long, GenerationDigest> digests) {
    List<GenerationRecord> records = store.generations(collection, after, upTo);
    if (records.size() != upTo - after) {
      throw new IllegalStateException(
          "the store has "
              + records.size()
              + " records of generations "
              + (after + 1)
              + ".."
              + upTo);
    }
    for (GenerationRecord r : records) {
      GenerationDigest d = digests.get(r.generation());
      if (!d.digest().equals(r.digest())
          || d.addedCount() != r.added()
          || d.retiredCount() != r.retired()) {
        throw new IllegalStateException(
            "the changes of generation "
                + r.generation()
                + " of "
                + collection
                + " read from the store (added "
                + d.addedCount()
                + ", retired "
                + d.retiredCount()
                + ") do not match its record (added "
                + r.added()
                + ", retired "
                + r.retired()
                + ")");
      }
    }
    return records.getLast();
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while applying changes", e);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case UncheckedIOException io -> throw io.getCause();
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IOException(e.getCause());
      }
    }
  }
}
