package dev.ballast.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.journal.Payload;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.GenerationDigest;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import dev.ballast.core.state.InvalidMutationException;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryView;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.core.state.NewChunk;
import dev.ballast.core.state.StatePins;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.core.state.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit of {@link DocumentStore} and {@link MemoryStore}: every backend runs it
 * (docs/state.md, invariants 1–4, 6, 7).
 */
public abstract class StateStoreContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final String MODEL = "test/model";

  protected Store store;

  /** A new, empty store; closed by the kit. */
  protected abstract Store newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  protected DocumentStore documents() {
    return store.documents();
  }

  protected MemoryStore memory() {
    return store.memory();
  }

  // ---- documents -------------------------------------------------------------------------

  @Test
  void everyCommitIsTheNextGenerationAndANewCollectionStartsAtZero() {
    assertThat(documents().ensureCollection("docs", MODEL, 2).generation()).isZero();
    assertThat(commit("a", "one").generation()).isEqualTo(1);
    assertThat(commit("a", "one").generation()).isEqualTo(2);
    assertThat(documents().collection("docs").orElseThrow().generation()).isEqualTo(2);
    assertThat(documents().collections()).extracting(c -> c.name()).containsExactly("docs");
  }

  @Test
  void reIngestingAnUnchangedDocumentKeepsItsChunksAndAddsNothing() {
    documents().ensureCollection("docs", MODEL, 2);
    commit("a", "one", "two");
    IngestResult again = commit("a", "one", "two");
    assertThat(again.added()).isZero();
    assertThat(again.retired()).isZero();
    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(live(again.generation())).hasSize(2);
  }

  @Test
  void aChangedDocumentRetiresOnlyItsChangedChunksAndOldGenerationsStayExactlyAsTheyWere() {
    documents().ensureCollection("docs", MODEL, 2);
    commit("a", "one", "two", "three");
    commit("b", "other");
    Set<String> atTwo = ids(live(2));
    IngestResult changed = commit("a", "one", "TWO", "three");
    assertThat(changed.added()).isEqualTo(1);
    assertThat(changed.retired()).isEqualTo(1);
    assertThat(changed.unchanged()).isEqualTo(2);
    assertThat(ids(live(2))).isEqualTo(atTwo);
    assertThat(texts(live(3))).containsExactlyInAnyOrder("one", "TWO", "three", "other");
    assertThat(documents().liveContentHashes("docs", "a"))
        .containsExactlyInAnyOrder(hash("one"), hash("TWO"), hash("three"));
  }

  @Test
  void aRemovedDocumentRetiresAllItsChunksAtTheNewGeneration() {
    documents().ensureCollection("docs", MODEL, 2);
    commit("a", "one", "two");
    IngestResult removed = documents().commit("docs", MODEL, List.of(), List.of("a"));
    assertThat(removed.retired()).isEqualTo(2);
    assertThat(live(removed.generation())).isEmpty();
    assertThat(live(1)).hasSize(2);
  }

  @Test
  void anUnchangedChunkKeepsItsVectorWhenTheCommitGivesNone() {
    documents().ensureCollection("docs", MODEL, 2);
    commit("a", "one");
    String h = hash("one");
    documents()
        .commit(
            "docs",
            MODEL,
            List.of(doc("a", List.of(new NewChunk(0, "one", h, List.of(), null)))),
            List.of());
    assertThat(live(2).getFirst().vector()).containsExactly(1f, 0f);
    assertThatThrownBy(
            () ->
                documents()
                    .commit(
                        "docs",
                        MODEL,
                        List.of(
                            doc(
                                "a",
                                List.of(new NewChunk(0, "new", hash("new"), List.of(), null)))),
                        List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("document a chunk 0 has no vector");
  }

  @Test
  void vectorsOfAnotherModelOrDimensionAreRefusedAndNothingIsCommitted() {
    documents().ensureCollection("docs", MODEL, 2);
    assertThatThrownBy(() -> documents().ensureCollection("docs", "other/model", 2))
        .isInstanceOf(EmbeddingModelMismatchException.class)
        .hasMessageContaining("\"test/model\"")
        .hasMessageContaining("\"other/model\"");
    assertThatThrownBy(
            () ->
                documents()
                    .commit(
                        "docs",
                        MODEL,
                        List.of(
                            doc(
                                "a",
                                List.of(
                                    new NewChunk(
                                        0, "x", hash("x"), List.of(), new float[] {1, 2, 3})))),
                        List.of()))
        .isInstanceOf(EmbeddingModelMismatchException.class)
        .hasMessageContaining("dimension 3");
    assertThat(documents().collection("docs").orElseThrow().generation()).isZero();
    assertThatThrownBy(() -> commitTo("nowhere", "a", "x"))
        .isInstanceOf(UnknownCollectionException.class);
  }

  @Test
  void changesAreReturnedOncePageByPageInIdOrder() {
    documents().ensureCollection("docs", MODEL, 2);
    for (int i = 0; i < 7; i++) {
      commit("d" + i, "text " + i, "more " + i);
    }
    commit("d0", "changed");
    List<ChunkRecord> seen = new ArrayList<>();
    String after = null;
    do {
      ChunkPage page = documents().changes("docs", 0, 8, after, 3);
      assertThat(page.chunks().size()).isLessThanOrEqualTo(3);
      seen.addAll(page.chunks());
      after = page.nextAfterId();
    } while (after != null);
    assertThat(ids(seen)).hasSize(seen.size()).hasSize(15);
    assertThat(seen).extracting(ChunkRecord::id).isSorted();
    // Only the last commit's changes: the new chunk and the two it retired.
    assertThat(documents().changes("docs", 7, 8, null, 100).chunks()).hasSize(3);
  }

  @Test
  void concurrentCommitsToOneCollectionTakeConsecutiveGenerationsAndLoseNothing() throws Exception {
    documents().ensureCollection("docs", MODEL, 2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<IngestResult>> commits = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        commits.add(pool.submit(() -> commit("doc" + n, "text " + n)));
      }
      Set<Long> generations = new HashSet<>();
      for (Future<IngestResult> f : commits) {
        generations.add(f.get().generation());
      }
      assertThat(generations)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(1, 12).mapToObj(Long::valueOf).toList());
      assertThat(live(12)).hasSize(12);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyGenerationHasARecordWhoseCountsAndChecksumFollowFromItsChanges() {
    documents().ensureCollection("docs", MODEL, 2);
    commit("a", "one", "two");
    commit("b", "other");
    commit("a", "one", "TWO");
    documents().commit("docs", MODEL, List.of(), List.of("b"));
    List<GenerationRecord> records = documents().generations("docs", 0, 99);
    assertThat(records).extracting(GenerationRecord::generation).containsExactly(1L, 2L, 3L, 4L);
    assertThat(records).extracting(GenerationRecord::added).containsExactly(2, 1, 1, 0);
    assertThat(records).extracting(GenerationRecord::retired).containsExactly(0, 0, 1, 1);
    assertThat(records).extracting(GenerationRecord::liveChunks).containsExactly(2L, 3L, 3L, 2L);
    String chain = "";
    for (GenerationRecord r : records) {
      GenerationDigest recomputed = digestOfChanges(r.generation());
      assertThat(r.digest()).isEqualTo(recomputed.digest());
      chain = GenerationDigest.chain(chain, r.generation(), r.added(), r.retired(), r.digest());
      assertThat(r.chain()).isEqualTo(chain);
    }
    assertThat(documents().generations("docs", 2, 3))
        .extracting(GenerationRecord::generation)
        .containsExactly(3L);
    assertThatThrownBy(() -> documents().generations("nowhere", 0, 1))
        .isInstanceOf(UnknownCollectionException.class);
  }

  @Test
  void otherContentAtTheSameGenerationHasAnotherChecksum() {
    documents().ensureCollection("docs", MODEL, 2);
    documents().ensureCollection("other", MODEL, 2);
    commitTo("docs", "a", "one", "two");
    commitTo("other", "a", "one", "three");
    GenerationRecord docs = documents().generations("docs", 0, 1).getFirst();
    GenerationRecord other = documents().generations("other", 0, 1).getFirst();
    assertThat(other.added()).isEqualTo(docs.added());
    assertThat(other.digest()).isNotEqualTo(docs.digest());
    assertThat(other.chain()).isNotEqualTo(docs.chain());
  }

  @Test
  void theOldestPinnedGenerationCountsOnlyRunsThatMayStillExecute() {
    documents().ensureCollection("docs", MODEL, 2);
    RunQueue queue = store.runQueue();
    assertThat(documents().oldestPinnedGeneration("docs")).isEmpty();
    queue.enqueue(pinned("r2", 2), T0);
    queue.enqueue(pinned("r3", 3), T0);
    queue.enqueue(
        new NewRun("r0", "p", "v1", "acme", 0, new byte[] {1}, null, T0, StatePins.NONE), T0);
    assertThat(documents().oldestPinnedGeneration("docs")).hasValue(2);
    assertThat(documents().oldestPinnedGeneration("elsewhere")).isEmpty();
    // Claimed in the order enqueued: r2 first.
    Lease lease = queue.claim("w", T0, Duration.ofMinutes(1), Set.of("p")).orElseThrow();
    assertThat(lease.runId()).isEqualTo("r2");
    assertThat(documents().oldestPinnedGeneration("docs")).hasValue(2);
    queue.complete(lease.runId(), lease.fence(), new byte[] {1}, T0);
    assertThat(documents().oldestPinnedGeneration("docs")).hasValue(3);
  }

  private static NewRun pinned(String id, long generation) {
    return new NewRun(
        id,
        "p",
        "v1",
        "acme",
        0,
        new byte[] {1},
        null,
        T0,
        new StatePins(null, 0, Map.of("docs", generation)));
  }

  private GenerationDigest digestOfChanges(long g) {
    GenerationDigest digest = new GenerationDigest();
    for (ChunkRecord c : documents().changes("docs", g - 1, g, null, 1000).chunks()) {
      if (c.fromGeneration() == g) {
        digest.added(c.id(), c.contentHash());
      }
      if (c.toGeneration() != null && c.toGeneration() == g) {
        digest.retired(c.id());
      }
    }
    return digest;
  }

  // ---- memory ----------------------------------------------------------------------------

  @Test
  void aWriteAppliesAtItsExpectedVersionAndIsRefusedAtAnyOther() {
    MemoryWrite w = memory().write("c", 0, List.of(turn("hi"), turn("there")), null, T0);
    assertThat(w).isEqualTo(new MemoryWrite("c", 0, 2, true));
    assertThatThrownBy(() -> memory().write("c", 1, List.of(turn("late")), null, T0))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("is at version 2, but the write expected version 1");
    assertThat(memory().currentVersion("c")).isEqualTo(2);
    assertThat(memory().currentVersion("unknown")).isZero();
  }

  @Test
  void aRetriedWriteIsRecognisedByItsEffectKeyAndNotAppliedAgain() {
    MemoryWrite first = memory().write("c", 0, List.of(turn("hi")), "run/stage/memory", T0);
    memory().write("c", 1, List.of(turn("later")), null, T0);
    MemoryWrite retried = memory().write("c", 0, List.of(turn("hi")), "run/stage/memory", T0);
    assertThat(retried).isEqualTo(new MemoryWrite("c", 0, 1, false));
    assertThat(first.applied()).isTrue();
    assertThat(memory().history("c", 10)).hasSize(2);
  }

  @Test
  void factMutationsThatDoNotApplyAreRefusedAndWriteNothing() {
    memory().write("c", 0, List.of(new MemoryMutation.AddFact("city", "Lyon")), null, T0);
    assertThatThrownBy(
            () ->
                memory()
                    .write("c", 1, List.of(new MemoryMutation.AddFact("city", "Paris")), null, T0))
        .isInstanceOf(InvalidMutationException.class)
        .hasMessageContaining("fact \"city\" already exists");
    assertThatThrownBy(
            () ->
                memory()
                    .write(
                        "c",
                        1,
                        List.of(
                            new MemoryMutation.RetractFact("city"),
                            new MemoryMutation.ReplaceFact("city", "Paris")),
                        null,
                        T0))
        .isInstanceOf(InvalidMutationException.class)
        .hasMessageContaining("fact \"city\" does not exist");
    assertThat(memory().currentVersion("c")).isEqualTo(1);
  }

  @Test
  void memoryAtAVersionIsTheFoldOfItsHistoryAndNeverChanges() {
    memory().write("c", 0, List.of(turn("one"), new MemoryMutation.AddFact("k", "v1")), null, T0);
    memory()
        .write("c", 2, List.of(new MemoryMutation.ReplaceFact("k", "v2"), turn("two")), null, T0);
    MemoryView atTwo = MemoryView.of("c", memory().history("c", 2));
    memory().write("c", 4, List.of(new MemoryMutation.Summarize("one and two", 4)), null, T0);
    assertThat(MemoryView.of("c", memory().history("c", 2))).isEqualTo(atTwo);
    assertThat(atTwo.facts()).containsEntry("k", "v1");
    MemoryView latest = MemoryView.of("c", memory().history("c", 99));
    assertThat(latest.version()).isEqualTo(5);
    assertThat(latest.facts()).containsEntry("k", "v2");
    assertThat(latest.turns()).isEmpty();
    assertThat(latest.summary()).isEqualTo("one and two");
    List<MemoryEntry> history = memory().history("c", 99);
    assertThat(history).extracting(MemoryEntry::version).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void concurrentWritersNeverLoseOrDuplicateAnUpdate() throws Exception {
    int writers = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> appendWithRetries(memory(), "shared", writer, each)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEveryAppendAppliedOnce(memory(), "shared", writers, each);
  }

  /**
   * Appends {@code count} turns as {@code writer}, re-reading the version after each conflict, and
   * replays every fifth write under its effect key: the replay must apply nothing.
   */
  public static void appendWithRetries(
      MemoryStore memory, String conversation, int writer, int count) {
    for (int i = 0; i < count; i++) {
      String key = "writer-" + writer + "/" + i;
      MemoryMutation turn = new MemoryMutation.AppendTurn("user", key);
      while (true) {
        long version = memory.currentVersion(conversation);
        try {
          memory.write(conversation, version, List.of(turn), key, Instant.now());
          break;
        } catch (VersionConflictException e) {
          // Another writer got there first: read the new version and try again.
        }
      }
      if (i % 5 == 0) {
        MemoryWrite replay = memory.write(conversation, 0, List.of(turn), key, Instant.now());
        if (replay.applied()) {
          throw new AssertionError("a replayed effect key was applied again: " + key);
        }
      }
    }
  }

  /** Versions 1..n with no gap, and each writer's turns present exactly once. */
  public static void assertEveryAppendAppliedOnce(
      MemoryStore memory, String conversation, int writers, int each) {
    List<MemoryEntry> history = memory.history(conversation, Long.MAX_VALUE);
    assertThat(history).hasSize(writers * each);
    assertThat(history)
        .extracting(MemoryEntry::version)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, writers * each).mapToObj(Long::valueOf).toList());
    assertThat(history)
        .extracting(e -> ((MemoryMutation.AppendTurn) e.mutation()).content())
        .doesNotHaveDuplicates();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private IngestResult commit(String document, String... texts) {
    return commitTo("docs", document, texts);
  }

  private IngestResult commitTo(String collection, String document, String... texts) {
    List<NewChunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      chunks.add(new NewChunk(i, texts[i], hash(texts[i]), List.of("H"), new float[] {1, 0}));
    }
    return documents().commit(collection, MODEL, List.of(doc(document, chunks)), List.of());
  }

  private static DocumentChunks doc(String id, List<NewChunk> chunks) {
    return new DocumentChunks(id, "Title " + id, "text/plain", hash(id), chunks);
  }

  private List<ChunkRecord> live(long generation) {
    List<ChunkRecord> live = new ArrayList<>();
    String after = null;
    do {
      ChunkPage page = documents().changes("docs", 0, generation, after, 1000);
      page.chunks().stream().filter(c -> c.liveAt(generation)).forEach(live::add);
      after = page.nextAfterId();
    } while (after != null);
    return live;
  }

  private static Set<String> ids(List<ChunkRecord> chunks) {
    Set<String> ids = new HashSet<>();
    chunks.forEach(c -> ids.add(c.id()));
    return ids;
  }

  private static List<String> texts(List<ChunkRecord> chunks) {
    return chunks.stream().map(ChunkRecord::text).toList();
  }

  private static MemoryMutation turn(String text) {
    return new MemoryMutation.AppendTurn("user", text);
  }

  protected static String hash(String text) {
    return Payload.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
