package dev.ballast.retrieval;

import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.retrieval.internal.ChangeApplier;
import dev.ballast.retrieval.internal.ChunkDocuments;
import dev.ballast.retrieval.internal.IndexCodecs;
import dev.ballast.retrieval.internal.RankFusion;
import dev.ballast.retrieval.internal.SnapshotManifest;
import dev.ballast.retrieval.internal.Snapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DoubleValuesSourceRescorer;
import org.apache.lucene.search.FullPrecisionFloatVectorSimilarityValuesSource;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * One node's index of one collection: a cache of the store keyed by generation (docs/state.md,
 * invariants 5 and 11).
 *
 * <p>On disk ({@link IndexSettings#directory()} set) every catch-up ends in a Lucene commit, a
 * snapshot of the index at that generation, memory-mapped rather than read into the heap. A new
 * index opens the newest snapshot that checks out against the store and catches up only the later
 * generations; a snapshot that does not check out is discarded and the index rebuilt. In memory the
 * index is rebuilt from the store at every start.
 *
 * <p>The index knows the generation it has applied. A search pinned to {@code G} on an index behind
 * {@code G} first applies the store's changes up to {@code G} (one catch-up at a time; searches at
 * generations already applied go on meanwhile, against the previous searcher, which holds
 * everything they can see). Every search filters to the chunks live at {@code G} ({@code from <= G
 * < to}), so an index that is past {@code G} answers exactly as one that stopped at {@code G}. A
 * retired chunk is not deleted: its document is replaced (by id) with its {@code to} set, so older
 * pins still find it, until {@link #prune} removes the chunks no searchable generation can see.
 *
 * <p>Vector searches gather {@code k × oversample} candidates from the (possibly quantized) graph
 * and rescore them with the full-precision vectors. Thread-safe.
 */
public final class CollectionIndex implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CollectionIndex.class.getName());

  private final String collection;
  private final int dimension;
  private final DocumentStore store;
  private final IndexSettings settings;
  private final SnapshotManifest.Key key;
  private Path path;
  private final ReentrantLock catchUp = new ReentrantLock();
  private final Snapshots.Outcome outcome;
  private Directory directory;
  private IndexWriter writer;
  private volatile SearcherManager searchers;
  // Written under catchUp, read by searches. The manifest says what the last commit (or, in
  // memory, the last catch-up) holds: generation applied, floor, bounds of the chunks' generations.
  private volatile SnapshotManifest manifest;

  /**
   * An empty in-memory index of {@code collection} with the default settings.
   *
   * @throws UnknownCollectionException when the store has no such collection
   */
  public CollectionIndex(DocumentStore store, String collection) {
    this(store, collection, IndexSettings.IN_MEMORY);
  }

  /**
   * Opens the index of {@code collection}: from its newest valid snapshot under the settings'
   * directory, or empty (at generation 0).
   *
   * @throws UnknownCollectionException when the store has no such collection
   * @throws UncheckedIOException when the directory cannot be written
   */
  public CollectionIndex(DocumentStore store, String collection, IndexSettings settings) {
    this.store = store;
    this.collection = collection;
    this.settings = settings;
    CollectionInfo info = info();
    this.dimension = info.dimension();
    this.key =
        new SnapshotManifest.Key(
            collection, info.embeddingModel(), dimension, settings.config().vectors());
    this.path =
        settings.directory() == null ? null : settings.directory().resolve(key.directoryName());
    try {
      this.outcome = open();
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("opening the index of " + collection, e);
    }
  }

  private Snapshots.Outcome open() throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(ChunkDocuments.analyzer());
    config.setRAMBufferSizeMB(128);
    // Separate files rather than compound ones: each is memory-mapped as it is, and a snapshot's
    // vectors, graph and text can be told apart on disk.
    config.setUseCompoundFile(false);
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setNoCFSRatio(0.0);
    config.setMergePolicy(merges);
    if (path == null) {
      directory = new ByteBuffersDirectory();
      writer = new IndexWriter(directory, config.setCodec(IndexCodecs.codec(key.encoding())));
      manifest = SnapshotManifest.empty(key);
      return new Snapshots.Outcome(false, 0, List.of());
    }
    Snapshots.Opened opened;
    try {
      opened = Snapshots.open(path, store, key, IndexCodecs.codec(key.encoding()), config);
    } catch (LockObtainFailedException e) {
      // Two nodes pointed at one data directory, or two indexes of one collection in a process:
      // the second keeps its index in memory rather than share or fight over the snapshot.
      LOG.log(
          System.Logger.Level.WARNING,
          "index of {0}: {1} is in use by another index; this one is kept in memory",
          collection,
          path);
      path = null;
      return open();
    }
    directory = opened.directory();
    writer = opened.writer();
    manifest = opened.manifest();
    for (String d : opened.outcome().discarded()) {
      LOG.log(System.Logger.Level.WARNING, "index of {0}: discarded {1}", collection, d);
    }
    Snapshots.deleteOthers(settings.directory(), collection, key.directoryName());
    return opened.outcome();
  }

  public String collection() {
    return collection;
  }

  /** The last generation this index has applied. */
  public long generation() {
    return manifest.generation();
  }

  /** The oldest generation this index can still search. */
  public long floor() {
    return manifest.floor();
  }

  /** Whether this index started from a snapshot on disk, and which snapshots it discarded. */
  public Snapshots.Outcome openedFrom() {
    return outcome;
  }

  /** The snapshot directory, or null for an index in memory. */
  public Path path() {
    return path;
  }

  /** The number of chunks (live and retired) the index holds. */
  public int size() {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return s.getIndexReader().numDocs();
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code k} best chunks live at {@code generation}, catching up from the store first when
   * this index is behind it.
   *
   * @param vector the query's embedding (needed by vector and hybrid searches), of the collection's
   *     dimension; normalised here
   * @param text the query text (needed by keyword and hybrid searches)
   * @throws GenerationNotCommittedException when {@code generation} is past the store's last
   * @throws GenerationPrunedException when {@code generation} is older than this index keeps
   * @throws IllegalArgumentException when k is not positive, the generation negative, or the mode's
   *     vector or text is missing or of the wrong dimension
   */
  public SearchResult search(long generation, String text, float[] vector, int k, SearchMode mode) {
    validate(generation, text, vector, k, mode);
    long reached = catchUpTo(generation);
    SnapshotManifest m = manifest;
    if (generation < m.floor()) {
      throw new GenerationPrunedException(collection, generation, m.floor());
    }
    try {
      SearcherManager manager = searchers;
      IndexSearcher searcher = manager.acquire();
      try {
        Query live =
            generation >= m.maxFrom() && generation < m.minTo()
                ? null
                : ChunkDocuments.liveAt(generation);
        List<SearchHit> hits =
            switch (mode) {
              case VECTOR -> vectorHits(searcher, vector, k, live);
              case KEYWORD -> keywordHits(searcher, text, k, live);
              case HYBRID -> hybridHits(searcher, text, vector, k, live);
            };
        return new SearchResult(hits, reached);
      } finally {
        manager.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("searching the index of " + collection, e);
    }
  }

  /**
   * Applies the store's changes up to {@code generation} unless already applied, and commits a
   * snapshot when the index is on disk; returns the generation applied afterwards.
   *
   * @throws GenerationNotCommittedException when {@code generation} is past the store's last
   */
  public long catchUpTo(long generation) {
    if (generation <= manifest.generation()) {
      return manifest.generation();
    }
    catchUp.lock();
    try {
      SnapshotManifest m = manifest;
      if (generation <= m.generation()) {
        return m.generation();
      }
      long committed = info().generation();
      if (generation > committed) {
        throw new GenerationNotCommittedException(collection, generation, committed);
      }
      ChangeApplier.Applied applied;
      try {
        applied =
            new ChangeApplier(store, collection, dimension, threads(), m.maxFrom(), m.minTo())
                .apply(writer, m.generation(), generation);
      } catch (IOException | RuntimeException e) {
        recover();
        throw e;
      }
      commit(m.applied(generation, applied.last().chain(), applied.maxFrom(), applied.minTo()));
      return generation;
    } catch (IOException e) {
      throw new UncheckedIOException("updating the index of " + collection, e);
    } finally {
      catchUp.unlock();
    }
  }

  /**
   * Removes the chunks no generation from {@code floor} on can see (those retired at or before it)
   * and makes generations before {@code floor} unsearchable on this node. The caller must pass a
   * floor no unfinished run's pin is below ({@link Indexes} does). A floor past the generation
   * applied is lowered to it; a floor at or below the current one changes nothing.
   *
   * @return the number of chunks removed
   */
  public long prune(long floor) {
    catchUp.lock();
    try {
      SnapshotManifest m = manifest;
      long to = Math.min(floor, m.generation());
      if (to <= m.floor()) {
        return 0;
      }
      int before = size();
      writer.deleteDocuments(LongPoint.newRangeQuery(ChunkDocuments.TO, Long.MIN_VALUE, to));
      commit(m.pruned(to));
      return before - size();
    } catch (IOException e) {
      throw new UncheckedIOException("pruning the index of " + collection, e);
    } finally {
      catchUp.unlock();
    }
  }

  private void commit(SnapshotManifest next) throws IOException {
    if (path != null) {
      writer.setLiveCommitData(next.toUserData().entrySet());
      writer.commit();
    }
    searchers.maybeRefreshBlocking();
    manifest = next;
  }

  /**
   * After a failed catch-up the writer may hold part of it: discard everything since the last
   * snapshot (in memory: everything) and reopen, so that the next catch-up starts clean.
   */
  private void recover() {
    try {
      SearcherManager old = searchers;
      writer.rollback();
      if (path == null) {
        directory.close();
      }
      open();
      searchers = new SearcherManager(writer, null);
      old.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "index of " + collection + " could not be reopened", e);
    }
  }

  private static int threads() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  private List<SearchHit> vectorHits(IndexSearcher searcher, float[] vector, int k, Query live)
      throws IOException {
    float[] target = Vectors.normalised(vector);
    int oversample = settings.config().oversample();
    Query query = new KnnFloatVectorQuery(ChunkDocuments.VECTOR, target, k * oversample, live);
    TopDocs top = searcher.search(query, k * oversample);
    if (top.scoreDocs.length > 0 && (oversample > 1 || key.encoding() != VectorEncoding.FLOAT32)) {
      top = exactRescorer(target).rescore(searcher, top, k);
    }
    List<SearchHit> hits = new ArrayList<>(Math.min(k, top.scoreDocs.length));
    for (ScoreDoc d : top.scoreDocs) {
      if (hits.size() == k) {
        break;
      }
      // Lucene scores a dot product d as (1 + d) / 2; report the cosine itself.
      hits.add(ChunkDocuments.hit(searcher, d.doc, 2.0 * d.score - 1.0));
    }
    return sorted(hits);
  }

  /** Rescores candidates with the full-precision vectors (read from disk, not the heap). */
  private static Rescorer exactRescorer(float[] target) {
    return new DoubleValuesSourceRescorer(
        new FullPrecisionFloatVectorSimilarityValuesSource(target, ChunkDocuments.VECTOR)) {
      @Override
      protected float combine(float firstPassScore, boolean valuePresent, double sourceValue) {
        return valuePresent ? (float) sourceValue : firstPassScore;
      }
    };
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
    catchUp.lock();
    try {
      searchers.close();
      writer.close();
      directory.close();
    } finally {
      catchUp.unlock();
    }
  }
}
