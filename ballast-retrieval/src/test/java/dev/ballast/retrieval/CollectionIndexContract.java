package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.UnknownCollectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-node index against a store (docs/state.md, invariants 3 and 5): pinned searches see
 * exactly the chunks live at their generation, a fresh or lagging index catches up from the store,
 * and ingestion embeds only new content. Every store backend runs it.
 */
abstract class CollectionIndexContract {
  static final String C = "docs";
  static final String V1 =
      """
      # Handbook

      ## Refunds
      Customers may return any purchase within thirty days for a full refund.

      ## Shipping
      Parcels leave the warehouse every weekday and arrive within three days.
      """;
  static final String V2 =
      """
      # Handbook

      ## Refunds
      Customers may return any purchase within sixty days for store credit only.

      ## Shipping
      Parcels leave the warehouse every weekday and arrive within three days.
      """;

  DocumentStore store;
  WordEmbedder embedder;
  Ingestor ingestor;
  final List<AutoCloseable> closeables = new ArrayList<>();

  protected abstract DocumentStore newStore() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = newStore();
    embedder = new WordEmbedder();
    ingestor = new Ingestor(store, embedder, new Chunker(ChunkerConfig.DEFAULTS));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  @Test
  void aSearchPinnedToAnOlderGenerationReturnsExactlyTheChunksLiveThen() {
    ingest(V1);
    ingest(V2);
    CollectionIndex index = index();
    // Reach generation 2 first, so that the search at 1 runs on an index past its pin.
    assertThat(ids(index.search(2, null, query("refund"), 10, SearchMode.VECTOR)))
        .isEqualTo(liveAt(2));
    SearchResult atOne = index.search(1, null, query("refund"), 10, SearchMode.VECTOR);
    assertThat(ids(atOne)).isEqualTo(liveAt(1)).isNotEqualTo(liveAt(2));
    assertThat(atOne.indexGeneration()).isEqualTo(2);
    assertThat(atOne.hits())
        .extracting(SearchHit::text)
        .contains("Customers may return any purchase within thirty days for a full refund.")
        .doesNotContain(
            "Customers may return any purchase within sixty days for store credit only.");
  }

  @Test
  void aFreshIndexPinnedAheadOfItCatchesUpFromTheStoreOneGenerationAtATime() {
    ingest(V1);
    ingest(V2);
    CollectionIndex index = index();
    assertThat(index.generation()).isZero();
    SearchResult atOne = index.search(1, null, query("refund"), 10, SearchMode.VECTOR);
    assertThat(atOne.indexGeneration()).isEqualTo(1);
    assertThat(ids(atOne)).isEqualTo(liveAt(1));
    SearchResult atTwo = index.search(2, null, query("refund"), 10, SearchMode.VECTOR);
    assertThat(atTwo.indexGeneration()).isEqualTo(2);
    assertThat(ids(atTwo)).isEqualTo(liveAt(2));
  }

  @Test
  void hitsCarryTheChunksTitleHeadingsAndContentHash() {
    ingest(V1);
    SearchHit top =
        index().search(1, "refund purchase", null, 1, SearchMode.KEYWORD).hits().getFirst();
    assertThat(top.title()).isEqualTo("Handbook");
    assertThat(top.headings()).containsExactly("Handbook", "Refunds");
    assertThat(top.documentId()).isEqualTo("handbook.md");
    assertThat(top.contentHash()).isEqualTo(Chunker.sha256(top.text()));
  }

  @Test
  void aPinPastTheCollectionsLastGenerationIsRefusedWithBothGenerations() {
    ingest(V1);
    assertThatThrownBy(() -> index().search(5, null, query("refund"), 3, SearchMode.VECTOR))
        .isInstanceOf(GenerationNotCommittedException.class)
        .hasMessageContaining("up to 1")
        .hasMessageContaining("pinned to generation 5");
  }

  @Test
  void anUnknownCollectionIsRefusedByName() {
    assertThatThrownBy(() -> new CollectionIndex(store, "nope"))
        .isInstanceOf(UnknownCollectionException.class)
        .hasMessageContaining("\"nope\"");
  }

  @Test
  void keywordSearchRanksTheChunkWithTheQueryWordsFirstAndSeesOnlyThePinnedGeneration() {
    ingest(V1);
    ingest(V2);
    CollectionIndex index = index();
    List<SearchHit> atTwo = index.search(2, "store credit", null, 5, SearchMode.KEYWORD).hits();
    assertThat(atTwo.getFirst().text()).contains("store credit");
    List<SearchHit> atOne = index.search(1, "store credit", null, 5, SearchMode.KEYWORD).hits();
    assertThat(atOne).extracting(SearchHit::text).noneMatch(t -> t.contains("store credit"));
  }

  @Test
  void hybridSearchFusesTheVectorAndKeywordRanksReciprocally() {
    ingest(V1);
    CollectionIndex index = index();
    String q = "parcels warehouse weekday";
    SearchHit vectorTop = index.search(1, null, query(q), 1, SearchMode.VECTOR).hits().getFirst();
    SearchHit keywordTop = index.search(1, q, null, 1, SearchMode.KEYWORD).hits().getFirst();
    SearchHit hybridTop = index.search(1, q, query(q), 1, SearchMode.HYBRID).hits().getFirst();
    assertThat(vectorTop.chunkId()).isEqualTo(keywordTop.chunkId());
    assertThat(hybridTop.chunkId()).isEqualTo(vectorTop.chunkId());
    assertThat(hybridTop.score()).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aRemovedDocumentIsGoneAtItsGenerationAndStillThereBefore() {
    ingest(V1);
    ingestor.ingest(C, List.of(), List.of("handbook.md"), IngestListener.NONE);
    CollectionIndex index = index();
    assertThat(index.search(2, null, query("refund"), 10, SearchMode.VECTOR).hits()).isEmpty();
    assertThat(ids(index.search(1, null, query("refund"), 10, SearchMode.VECTOR)))
        .isEqualTo(liveAt(1))
        .hasSize(2);
  }

  @Test
  void concurrentSearchesAtDifferentPinsOnAFreshIndexEachSeeTheirOwnGeneration() throws Exception {
    ingest(V1);
    ingest(V2);
    Set<String> one = liveAt(1);
    Set<String> two = liveAt(2);
    CollectionIndex index = index();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long g = i % 2 == 0 ? 2 : 1;
        answers.add(
            pool.submit(
                () ->
                    ids(index.search(g, null, query("refund"), 10, SearchMode.VECTOR))
                        .equals(g == 1 ? one : two)));
      }
      for (Future<Boolean> a : answers) {
        assertThat(a.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reIngestingEmbedsOnlyTheChunksWhoseContentChanged() {
    IngestReport first = ingest(V1);
    assertThat(first.embedded()).isEqualTo(2);
    assertThat(first.reused()).isZero();
    IngestReport unchanged = ingest(V1);
    assertThat(unchanged.embedded()).isZero();
    assertThat(unchanged.reused()).isEqualTo(2);
    assertThat(unchanged.result().added()).isZero();
    IngestReport changed = ingest(V2);
    assertThat(changed.embedded()).isEqualTo(1);
    assertThat(changed.reused()).isEqualTo(1);
    assertThat(changed.result().generation()).isEqualTo(3);
    assertThat(changed.result().retired()).isEqualTo(1);
    assertThat(embedder.embedded.get()).isEqualTo(3);
  }

  @Test
  void oneIngestionCallOfManyDocumentsCommitsOneGenerationAndReportsProgress() {
    List<SourceDocument> docs = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      docs.add(
          new SourceDocument("d" + i, null, DocumentFormat.PLAIN, "Document number " + i + "."));
    }
    List<IngestListener.Progress> progress = new ArrayList<>();
    IngestReport report = ingestor.ingest(C, docs, List.of(), progress::add);
    assertThat(report.result().generation()).isEqualTo(1);
    assertThat(report.result().added()).isEqualTo(150);
    assertThat(progress).hasSizeGreaterThan(1);
    assertThat(progress.getLast()).isEqualTo(new IngestListener.Progress(150, 150, 150, 0));
    assertThat(progress).extracting(IngestListener.Progress::documentsDone).isSorted();
  }

  IngestReport ingest(String markdown) {
    return ingestor.ingest(
        C,
        List.of(
            new SourceDocument("handbook.md", "handbook.md", DocumentFormat.MARKDOWN, markdown)),
        List.of(),
        IngestListener.NONE);
  }

  CollectionIndex index() {
    CollectionIndex index = new CollectionIndex(store, C);
    closeables.add(index);
    return index;
  }

  float[] query(String text) {
    return embedder.embed(List.of(text)).getFirst();
  }

  /** "id/hash" of every hit. */
  static Set<String> ids(SearchResult result) {
    Set<String> out = new TreeSet<>();
    for (SearchHit h : result.hits()) {
      out.add(h.chunkId() + "/" + h.contentHash());
    }
    return out;
  }

  /** "id/hash" of every chunk the store says is live at {@code g}. */
  Set<String> liveAt(long g) {
    Set<String> out = new TreeSet<>();
    ChunkPage page = store.changes(C, 0, g, null, 1000);
    for (ChunkRecord c : page.chunks()) {
      if (c.liveAt(g)) {
        out.add(c.id() + "/" + c.contentHash());
      }
    }
    return out;
  }
}
