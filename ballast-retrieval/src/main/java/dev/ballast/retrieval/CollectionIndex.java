package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.retrieval.internal.ChunkDocuments;
import dev.ballast.retrieval.internal.RankFusion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * One node's in-process index of one collection: a cache of the store keyed by generation
 * (docs/state.md, invariant 5). It lives in memory ({@link ByteBuffersDirectory}), so a restarted
 * node rebuilds it from the store on its first search; nothing on disk can go stale.
 *
 * <p>The index knows the generation it has applied. A search pinned to {@code G} on an index behind
 * {@code G} first applies the store's changes up to {@code G} (one catch-up at a time; searches at
 * generations already applied go on meanwhile, against the previous searcher, which holds
 * everything they can see). Every search filters to the chunks live at {@code G} ({@code from <= G
 * < to}), so an index that is past {@code G} answers exactly as one that stopped at {@code G}. A
 * retired chunk is not deleted: its document is replaced (by id) with its {@code to} set, so older
 * pins still find it.
 *
 * <p>Thread-safe.
 */
public final class CollectionIndex implements AutoCloseable {
  static final int CHANGES_PAGE = 1_000;

  private final String collection;
  private final int dimension;
  private final DocumentStore store;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ReentrantLock catchUp = new ReentrantLock();
  // Written under catchUp, read by searches: the last generation visible to new searchers.
  private volatile long applied;
  // Bounds over every indexed chunk; when a pin lies inside them, every chunk is live at it and
  // the liveness filter (which costs a pass over the index's points) can be skipped.
  private volatile long maxFrom;
  private volatile long minTo = Long.MAX_VALUE;

  /**
   * An empty index of {@code collection} (at generation 0).
   *
   * @throws UnknownCollectionException when the store has no such collection
   */
  public CollectionIndex(DocumentStore store, String collection) {
    this.store = store;
    this.collection = collection;
    this.dimension = info().dimension();
    try {
      IndexWriterConfig config = new IndexWriterConfig(ChunkDocuments.analyzer());
      config.setRAMBufferSizeMB(128);
      this.writer = new IndexWriter(new ByteBuffersDirectory(), config);
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String collection() {
    return collection;
  }

  /** The last generation this index has applied. */
  public long generation() {
    return applied;
  }

  /**
   * The {@code k} best chunks live at {@code generation}, catching up from the store first when
   * this index is behind it.
   *
   * @param vector the query's embedding (needed by vector and hybrid searches), of the collection's
   *     dimension; normalised here
   * @param text the query text (needed by keyword and hybrid searches)
   * @throws GenerationNotCommittedException when {@code generation} is past the store's last
   * @throws IllegalArgumentException when k is not positive, the generation negative, or the mode's
   *     vector or text is missing or of the wrong dimension
   */
  public SearchResult search(long generation, String text, float[] vector, int k, SearchMode mode) {
    validate(generation, text, vector, k, mode);
    long reached = catchUpTo(generation);
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        Query live =
            generation >= maxFrom && generation < minTo ? null : ChunkDocuments.liveAt(generation);
        List<SearchHit> hits =
            switch (mode) {
              case VECTOR -> vectorHits(searcher, vector, k, live);
              case KEYWORD -> keywordHits(searcher, text, k, live);
              case HYBRID -> hybridHits(searcher, text, vector, k, live);
            };
        return new SearchResult(hits, reached);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("searching the index of " + collection, e);
    }
  }

  /**
   * Applies the store's changes up to {@code generation} unless already applied; returns the
   * generation applied afterwards.
   *
   * @throws GenerationNotCommittedException when {@code generation} is past the store's last
   */
  public long catchUpTo(long generation) {
    if (generation <= applied) {
      return applied;
    }
    catchUp.lock();
    try {
      if (generation <= applied) {
        return applied;
      }
      long committed = info().generation();
      if (generation > committed) {
        throw new GenerationNotCommittedException(collection, generation, committed);
      }
      apply(applied, generation);
      searchers.maybeRefreshBlocking();
      applied = generation;
      return generation;
    } catch (IOException e) {
      throw new UncheckedIOException("updating the index of " + collection, e);
    } finally {
      catchUp.unlock();
    }
  }

  private void apply(long after, long upTo) throws IOException {
    String afterId = null;
    do {
      ChunkPage page = store.changes(collection, after, upTo, afterId, CHANGES_PAGE);
      for (ChunkRecord chunk : page.chunks()) {
        if (chunk.vector() == null || chunk.vector().length != dimension) {
          throw new IllegalStateException(
              "chunk "
                  + chunk.id()
                  + " of "
                  + collection
                  + " has no vector of dimension "
                  + dimension);
        }
        maxFrom = Math.max(maxFrom, chunk.fromGeneration());
        minTo = Math.min(minTo, ChunkDocuments.to(chunk));
        writer.updateDocument(ChunkDocuments.idTerm(chunk.id()), ChunkDocuments.toDocument(chunk));
      }
      afterId = page.nextAfterId();
    } while (afterId != null);
  }

  private List<SearchHit> vectorHits(IndexSearcher searcher, float[] vector, int k, Query live)
      throws IOException {
    Query query =
        new KnnFloatVectorQuery(ChunkDocuments.VECTOR, Vectors.normalised(vector), k, live);
    TopDocs top = searcher.search(query, k);
    List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc d : top.scoreDocs) {
      // Lucene scores a dot product d as (1 + d) / 2; report the cosine itself.
      hits.add(ChunkDocuments.hit(searcher, d.doc, 2.0 * d.score - 1.0));
    }
    return sorted(hits);
  }

  private List<SearchHit> keywordHits(IndexSearcher searcher, String text, int k, Query live)
      throws IOException {
    Query terms = ChunkDocuments.keywordQuery(writer.getAnalyzer(), text);
    if (terms == null) {
      return List.of();
    }
    Query query =
        live == null
            ? terms
            : new BooleanQuery.Builder()
                .add(terms, BooleanClause.Occur.MUST)
                .add(live, BooleanClause.Occur.FILTER)
                .build();
    TopDocs top = searcher.search(query, k);
    List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc d : top.scoreDocs) {
      hits.add(ChunkDocuments.hit(searcher, d.doc, d.score));
    }
    return sorted(hits);
  }

  private List<SearchHit> hybridHits(
      IndexSearcher searcher, String text, float[] vector, int k, Query live) throws IOException {
    int depth = Math.max(4 * k, 40);
    return RankFusion.fuse(
        vectorHits(searcher, vector, depth, live), keywordHits(searcher, text, depth, live), k);
  }

  /**
   * Best first, ties by chunk id: Lucene breaks ties by its internal doc order, which differs by
   * node.
   */
  static List<SearchHit> sorted(List<SearchHit> hits) {
    List<SearchHit> out = new ArrayList<>(hits);
    out.sort(
        Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId));
    return out;
  }

  private void validate(long generation, String text, float[] vector, int k, SearchMode mode) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, but was " + k);
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must not be negative, but was " + generation);
    }
    if (mode != SearchMode.KEYWORD && vector == null) {
      throw new IllegalArgumentException("a " + mode.wireName() + " search needs a query vector");
    }
    if (mode != SearchMode.KEYWORD && vector.length != dimension) {
      throw new IllegalArgumentException(
          "the query vector has "
              + vector.length
              + " dimensions, but collection \""
              + collection
              + "\" holds vectors of "
              + dimension);
    }
    if (mode != SearchMode.VECTOR && (text == null || text.isBlank())) {
      throw new IllegalArgumentException("a " + mode.wireName() + " search needs query text");
    }
  }

  private CollectionInfo info() {
    return store
        .collection(collection)
        .orElseThrow(() -> new UnknownCollectionException(collection));
  }

  @Override
  public void close() throws IOException {
    searchers.close();
    writer.close();
  }
}
