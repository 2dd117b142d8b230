package dev.ballast.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.CollectionIndexConfig;
import dev.ballast.core.config.VectorEncoding;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.StatePins;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index snapshots on a node's disk against a real store (docs/state.md, invariants 11 and 12): a
 * restarted index starts from its snapshot, catches up only later generations and answers exactly
 * as before; a corrupt snapshot or one of another database is discarded and rebuilt; pruning never
 * removes a generation an unfinished run pins. Every JDBC backend runs it.
 */
abstract class IndexSnapshotContract {
  static final String C = CollectionIndexContract.C;
  static final CollectionIndexConfig HISTORYLESS =
      new CollectionIndexConfig(VectorEncoding.INT8, 4, Duration.ZERO);

  @TempDir Path nodeDir;
  Store opened;
  DocumentStore store;
  WordEmbedder embedder = new WordEmbedder();
  final List<AutoCloseable> closeables = new ArrayList<>();

  /** A new, empty store of this backend; each call another database. */
  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    opened = newStore();
    closeables.add(opened);
    store = opened.documents();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  @Test
  void aRestartedIndexStartsFromItsSnapshotAndReadsOnlyLaterGenerations() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    ingest(store, CollectionIndexContract.V2);
    try (CollectionIndex first = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      assertThat(first.openedFrom().reused()).isFalse();
      first.catchUpTo(2);
    }
    ingest(store, CollectionIndexContract.V1);
    CountingStore counting = new CountingStore(store);
    try (CollectionIndex again = onDisk(counting, CollectionIndexConfig.DEFAULTS)) {
      assertThat(again.openedFrom().reused()).isTrue();
      assertThat(again.openedFrom().discarded()).isEmpty();
      assertThat(again.generation()).isEqualTo(2);
      assertThat(again.catchUpTo(3)).isEqualTo(3);
      assertThat(counting.changesAfter).containsOnly(2L);
      assertThat(ids(again.search(1, null, query("refund"), 10, SearchMode.VECTOR)))
          .isEqualTo(ids(inMemory().search(1, null, query("refund"), 10, SearchMode.VECTOR)));
    }
  }

  @Test
  void aRestartedIndexAnswersEveryModeAndGenerationExactlyAsBefore() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    ingest(store, CollectionIndexContract.V2);
    List<SearchResult> before;
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      // BM25 statistics count every chunk the index holds, so compare indexes holding the same.
      index.catchUpTo(2);
      before = answers(index);
    }
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      assertThat(index.openedFrom().reused()).isTrue();
      assertThat(answers(index)).isEqualTo(before);
    }
  }

  @Test
  void aCorruptSnapshotIsDiscardedAndTheIndexRebuiltFromTheStore() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    ingest(store, CollectionIndexContract.V2);
    List<SearchResult> before;
    Path dir;
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      index.catchUpTo(2);
      before = answers(index);
      dir = index.path();
    }
    corruptLargestFile(dir);
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      assertThat(index.openedFrom().reused()).isFalse();
      assertThat(index.openedFrom().discarded()).isNotEmpty();
      assertThat(index.generation()).isZero();
      index.catchUpTo(2);
      assertThat(answers(index)).isEqualTo(before);
    }
  }

  @Test
  void aSnapshotOfAnotherDatabaseIsDiscardedByItsContentChecksum() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      index.catchUpTo(1);
    }
    DocumentStore other = another();
    ingest(other, CollectionIndexContract.V2);
    try (CollectionIndex index = onDisk(other, CollectionIndexConfig.DEFAULTS)) {
      assertThat(index.openedFrom().reused()).isFalse();
      assertThat(index.openedFrom().discarded())
          .singleElement()
          .asString()
          .contains("content checksum of generation 1 differs");
      assertThat(texts(index.search(1, "store credit", null, 5, SearchMode.KEYWORD)))
          .anyMatch(t -> t.contains("store credit"));
    }
  }

  @Test
  void aSnapshotAheadOfTheStoreIsDiscarded() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    ingest(store, CollectionIndexContract.V2);
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      index.catchUpTo(2);
    }
    DocumentStore restored = another();
    ingest(restored, CollectionIndexContract.V1);
    try (CollectionIndex index = onDisk(restored, CollectionIndexConfig.DEFAULTS)) {
      assertThat(index.openedFrom().discarded())
          .anyMatch(d -> d.contains("the store has committed up to 1"));
      assertThat(index.catchUpTo(1)).isEqualTo(1);
    }
  }

  @Test
  void aSnapshotOfAnotherVectorEncodingIsNeitherOpenedNorKept() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    Path int8;
    try (CollectionIndex index = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      index.catchUpTo(1);
      int8 = index.path();
    }
    CollectionIndexConfig binary =
        new CollectionIndexConfig(VectorEncoding.BINARY, 8, Duration.ZERO);
    try (CollectionIndex index = onDisk(store, binary)) {
      assertThat(index.openedFrom().reused()).isFalse();
      assertThat(index.path()).isNotEqualTo(int8);
      assertThat(int8).doesNotExist();
    }
  }

  @Test
  void aSecondIndexOfTheSameDirectoryStaysInMemoryAndLeavesTheSnapshotAlone() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    try (CollectionIndex first = onDisk(store, CollectionIndexConfig.DEFAULTS);
        CollectionIndex second = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      first.catchUpTo(1);
      assertThat(first.path()).isNotNull();
      assertThat(second.path()).isNull();
      assertThat(ids(second.search(1, null, query("refund"), 10, SearchMode.VECTOR)))
          .isEqualTo(ids(first.search(1, null, query("refund"), 10, SearchMode.VECTOR)));
    }
    try (CollectionIndex again = onDisk(store, CollectionIndexConfig.DEFAULTS)) {
      assertThat(again.openedFrom().reused()).isTrue();
    }
  }

  @Test
  void pruningNeverRemovesAGenerationAnUnfinishedRunPins() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    RunQueue queue = opened.runQueue();
    queue.enqueue(
        new NewRun(
            "run-1",
            "p",
            "v1",
            "acme",
            0,
            new byte[] {1},
            null,
            Instant.EPOCH,
            new StatePins(null, 0, Map.of(C, 1L))),
        Instant.EPOCH);
    ingest(store, CollectionIndexContract.V2);
    ingest(store, CollectionIndexContract.V1);
    Indexes indexes = indexes(store);
    SearchResult pinned = indexes.index(C).search(1, null, query("refund"), 10, SearchMode.VECTOR);
    int held = indexes.index(C).size();

    indexes.prune(C);

    assertThat(indexes.index(C).floor()).isEqualTo(1);
    assertThat(indexes.index(C).search(1, null, query("refund"), 10, SearchMode.VECTOR))
        .isEqualTo(pinned);
    assertThat(indexes.index(C).size()).isEqualTo(held);
  }

  @Test
  void onceNoRunPinsAnOldGenerationItsRetiredChunksArePrunedAndItIsRefusedByName()
      throws Exception {
    ingest(store, CollectionIndexContract.V1);
    RunQueue queue = opened.runQueue();
    queue.enqueue(
        new NewRun(
            "run-1",
            "p",
            "v1",
            "acme",
            0,
            new byte[] {1},
            null,
            Instant.EPOCH,
            new StatePins(null, 0, Map.of(C, 1L))),
        Instant.EPOCH);
    ingest(store, CollectionIndexContract.V2);
    Indexes indexes = indexes(store);
    indexes.index(C).catchUpTo(2);
    int held = indexes.index(C).size();
    Lease lease = queue.claim("w", Instant.EPOCH, Duration.ofMinutes(1), Set.of()).orElseThrow();
    queue.complete(lease.runId(), lease.fence(), new byte[] {1}, Instant.EPOCH);

    assertThat(indexes.prune(C)).isEqualTo(1);

    assertThat(indexes.index(C).size()).isEqualTo(held - 1);
    assertThat(indexes.index(C).floor()).isEqualTo(2);
    assertThatThrownBy(
            () -> indexes.index(C).search(1, null, query("refund"), 10, SearchMode.VECTOR))
        .isInstanceOf(GenerationPrunedException.class)
        .hasMessageContaining("keeps generations from 2 on")
        .hasMessageContaining("pinned to generation 1");
    indexes.close();
    try (CollectionIndex reopened = onDisk(store, HISTORYLESS)) {
      assertThat(reopened.openedFrom().reused()).isTrue();
      assertThat(reopened.floor()).isEqualTo(2);
    }
  }

  @Test
  void tailingAppliesANewGenerationWithoutWaitingForASearch() throws Exception {
    ingest(store, CollectionIndexContract.V1);
    Indexes indexes = indexes(store);
    indexes.startTailing(List.of(C, "not-yet-created"), Duration.ofMillis(20));
    await().atMost(Duration.ofSeconds(20)).until(() -> indexes.index(C).generation() == 1);
    ingest(store, CollectionIndexContract.V2);
    await().atMost(Duration.ofSeconds(20)).until(() -> indexes.index(C).generation() == 2);
    assertThat(indexes.status())
        .singleElement()
        .satisfies(s -> assertThat(s.lag()).isZero())
        .satisfies(s -> assertThat(s.applied()).isEqualTo(2));
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** The documents of another, empty database of this backend, closed by the kit. */
  DocumentStore another() throws Exception {
    Store other = newStore();
    closeables.add(other);
    return other.documents();
  }

  Indexes indexes(DocumentStore on) {
    Indexes indexes =
        new Indexes(
            on,
            List.of(embedder),
            c -> IndexSettings.onDisk(nodeDir.resolve("index"), HISTORYLESS),
            Clock.systemUTC());
    closeables.add(indexes);
    return indexes;
  }

  CollectionIndex onDisk(DocumentStore on, CollectionIndexConfig config) {
    return new CollectionIndex(on, C, IndexSettings.onDisk(nodeDir.resolve("index"), config));
  }

  CollectionIndex inMemory() {
    CollectionIndex index = new CollectionIndex(store, C);
    closeables.add(index);
    return index;
  }

  void ingest(DocumentStore on, String markdown) {
    new Ingestor(on, embedder, new Chunker(ChunkerConfig.DEFAULTS))
        .ingest(
            C,
            List.of(
                new SourceDocument(
                    "handbook.md", "handbook.md", DocumentFormat.MARKDOWN, markdown)),
            List.of(),
            IngestListener.NONE);
  }

  List<SearchResult> answers(CollectionIndex index) {
    List<SearchResult> out = new ArrayList<>();
    for (long g = 1; g <= 2; g++) {
      for (SearchMode mode : SearchMode.values()) {
        out.add(index.search(g, "refund purchase days", query("refund purchase days"), 5, mode));
      }
    }
    return out;
  }

  float[] query(String text) {
    return embedder.embed(List.of(text)).getFirst();
  }

  static Set<String> ids(SearchResult r) {
    return CollectionIndexContract.ids(r);
  }

  static List<String> texts(SearchResult r) {
    return r.hits().stream().map(SearchHit::text).toList();
  }

  /** Overwrites bytes in the middle of the snapshot's largest file. */
  static void corruptLargestFile(Path dir) throws IOException {
    Path largest;
    try (Stream<Path> files = Files.list(dir)) {
      largest =
          files
              .filter(p -> !p.getFileName().toString().startsWith("segments"))
              .filter(p -> !p.getFileName().toString().equals("write.lock"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(largest.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
  }
}
