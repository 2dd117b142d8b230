package dev.ballast.testkit.store;

import static dev.ballast.testkit.store.JournalFixtures.T0;
import static dev.ballast.testkit.store.JournalFixtures.attempt;
import static dev.ballast.testkit.store.JournalFixtures.blobsOf;
import static dev.ballast.testkit.store.JournalFixtures.completed;
import static dev.ballast.testkit.store.JournalFixtures.failedRun;
import static dev.ballast.testkit.store.JournalFixtures.started;
import static dev.ballast.testkit.store.JournalFixtures.succeededRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JournalStore} (and a store's {@link IdempotencyStore}) keeps. A
 * backend's test extends this class and supplies a fresh, empty store per test.
 */
public abstract class JournalStoreContract {
  /** The store under test; {@link #store} is its journal. */
  protected Store stores;

  protected JournalStore store;

  /** A new store with no runs in it; closed by the kit after each test. */
  protected abstract Store newStore();

  /**
   * How many rows hold the blob, when the backend can tell; the kit then checks it is exactly one.
   * The default cannot tell.
   */
  protected OptionalLong storedBlobRows(String hash) {
    return OptionalLong.empty();
  }

  @BeforeEach
  void openStore() {
    stores = newStore();
    store = stores.journal();
  }

  @AfterEach
  void closeStore() {
    // Null when newStore() aborted the test, e.g. because its database is unavailable.
    if (stores != null) {
      stores.close();
    }
  }

  protected void append(List<JournalEntry> entries) {
    store.append(entries, blobsOf(entries));
  }

  private IdempotencyStore idempotency() {
    return stores.idempotency();
  }

  @Test
  void givesAnIdempotencyKeyToOneClaimantAndReplaysItsResult() {
    IdempotencyStore keys = idempotency();
    Duration ttl = Duration.ofHours(1);
    Duration abandon = Duration.ofMinutes(10);

    var first = keys.claim("acme", "k1", "h1", "run-a", T0, ttl, abandon);
    var second = keys.claim("acme", "k1", "h1", "run-b", T0.plusSeconds(1), ttl, abandon);
    keys.complete("acme", "k1", "run-a", 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    var replay = keys.find("acme", "k1").orElseThrow();

    assertThat(first.claimedBy()).isEqualTo("run-a");
    assertThat(second.claimedBy()).isEqualTo("run-a");
    assertThat(second.completed()).isFalse();
    assertThat(replay.status()).isEqualTo(200);
    assertThat(new String(replay.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    assertThat(keys.claim("other", "k1", "h1", "run-c", T0, ttl, abandon).claimedBy())
        .isEqualTo("run-c");
  }

  @Test
  void reclaimsExpiredAndAbandonedIdempotencyKeys() {
    IdempotencyStore keys = idempotency();
    keys.claim("acme", "done", "h", "run-a", T0, Duration.ofMinutes(1), Duration.ofMinutes(10));
    keys.complete("acme", "done", "run-a", 200, new byte[0]);
    keys.claim("acme", "stuck", "h", "run-a", T0, Duration.ofHours(1), Duration.ofMinutes(10));

    var expired =
        keys.claim(
            "acme",
            "done",
            "h",
            "run-b",
            T0.plusSeconds(61),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10));
    var abandoned =
        keys.claim(
            "acme",
            "stuck",
            "h",
            "run-b",
            T0.plusSeconds(601),
            Duration.ofHours(1),
            Duration.ofMinutes(10));

    assertThat(expired.claimedBy()).isEqualTo("run-b");
    assertThat(abandoned.claimedBy()).isEqualTo("run-b");
  }

  @Test
  void sweepDeletesExpiredAndAbandonedIdempotencyKeysOnly() {
    IdempotencyStore keys = idempotency();
    Duration abandon = Duration.ofMinutes(10);
    keys.claim("acme", "expired", "h", "run-a", T0, Duration.ofMinutes(1), abandon);
    keys.complete("acme", "expired", "run-a", 200, new byte[] {'{', '}'});
    keys.claim("acme", "stuck", "h", "run-b", T0, Duration.ofHours(1), abandon);
    keys.claim("acme", "live", "h", "run-c", T0.plusSeconds(600), Duration.ofHours(1), abandon);
    keys.complete("acme", "live", "run-c", 200, null);

    int swept = keys.sweep(T0.plusSeconds(601), abandon);

    assertThat(swept).isEqualTo(2);
    assertThat(keys.find("acme", "expired")).isEmpty();
    assertThat(keys.find("acme", "stuck")).isEmpty();
    var live = keys.find("acme", "live").orElseThrow();
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body()).isNull();
  }

  @Test
  void aReleasedIdempotencyKeyCanBeClaimedAgain() {
    IdempotencyStore keys = idempotency();
    keys.claim("acme", "k", "h", "run-a", T0, Duration.ofHours(1), Duration.ofMinutes(10));
    keys.release("acme", "k", "run-a");

    assertThat(
            keys.claim("acme", "k", "h", "run-b", T0, Duration.ofHours(1), Duration.ofMinutes(10))
                .claimedBy())
        .isEqualTo("run-b");
  }

  @Test
  void concurrentClaimantsOfOneKeyGetOneWinner() throws Exception {
    IdempotencyStore keys = idempotency();
    int threads = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<String>> winners = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String run = "run-" + i;
        winners.add(
            pool.submit(
                () ->
                    keys.claim(
                            "acme",
                            "race",
                            "h",
                            run,
                            T0,
                            Duration.ofHours(1),
                            Duration.ofMinutes(10))
                        .claimedBy()));
      }
      java.util.Set<String> claimedBy = new java.util.HashSet<>();
      for (var f : winners) {
        claimedBy.add(f.get());
      }
      assertThat(claimedBy).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readsBackTypedEventsInSeqOrderWhateverTheAppendOrder() {
    List<JournalEntry> run = succeededRun("r1", T0, "acme", "gpt");
    append(List.of(run.get(3), run.get(1)));
    append(List.of(run.get(2), run.get(0)));

    assertThat(store.events("r1")).containsExactlyElementsOf(run);
  }

  @Test
  void storesEachPayloadOnceAndReturnsItsContent() {
    Payload shared = Payload.of("the same long prompt");
    append(List.of(started("r1", T0, "acme", "gpt")));
    store.append(List.of(started("r2", T0, "acme", "gpt")), Map.of(shared.hash(), shared.bytes()));
    store.append(List.of(), Map.of(shared.hash(), shared.bytes()));

    assertThat(store.blob(shared.hash()))
        .hasValueSatisfying(
            content ->
                assertThat(new String(content, StandardCharsets.UTF_8))
                    .isEqualTo("the same long prompt"));
    storedBlobRows(shared.hash()).ifPresent(rows -> assertThat(rows).isEqualTo(1));
  }

  @Test
  void appendingTheSameEntriesTwiceChangesNothing() {
    List<JournalEntry> run = succeededRun("r1", T0, "acme", "gpt");
    append(run);
    RunSummary once = store.findRun("r1").orElseThrow();

    append(run);
    append(List.of(run.get(1), run.get(2)));

    assertThat(store.findRun("r1")).contains(once);
    assertThat(once.attempts()).isEqualTo(2);
    assertThat(store.events("r1")).hasSize(4);
  }

  @Test
  void derivesTheSummaryOfASucceededRun() {
    append(succeededRun("r1", T0, "acme", "gpt"));

    RunSummary run = store.findRun("r1").orElseThrow();
    assertThat(run)
        .extracting(
            RunSummary::tenant,
            RunSummary::kind,
            RunSummary::operation,
            RunSummary::model,
            RunSummary::status,
            RunSummary::startedAt,
            RunSummary::endedAt,
            RunSummary::deployment,
            RunSummary::responseModel,
            RunSummary::inputTokens,
            RunSummary::outputTokens,
            RunSummary::attempts)
        .containsExactly(
            "acme",
            "gateway",
            "chat",
            "gpt",
            RunStatus.SUCCEEDED,
            T0,
            T0.plusMillis(30),
            "primary",
            "gpt-4o-2024-08-06",
            10,
            20,
            2);
    assertThat(run.cost()).isEqualTo(0.0015);
  }

  @Test
  void derivesTheSummaryOfAFailedRun() {
    append(failedRun("r1", T0, "acme", "gpt", "server_error"));

    RunSummary run = store.findRun("r1").orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.errorClass()).isEqualTo("server_error");
    assertThat(run.endedAt()).isEqualTo(T0.plusMillis(20));
    assertThat(run.attempts()).isEqualTo(1);
  }

  @Test
  void derivesTheSameSummaryWhenCompletionArrivesBeforeStart() {
    List<JournalEntry> run = succeededRun("r1", T0, "acme", "gpt");
    append(List.of(run.get(3)));
    append(List.of(run.get(2)));
    append(List.of(run.get(0), run.get(1)));

    List<JournalEntry> inOrder = succeededRun("r2", T0, "acme", "gpt");
    append(inOrder);

    RunSummary reordered = store.findRun("r1").orElseThrow();
    RunSummary ordered = store.findRun("r2").orElseThrow();
    assertThat(reordered).usingRecursiveComparison().ignoringFields("id").isEqualTo(ordered);
    assertThat(reordered.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void showsARunAsRunningUntilItEnds() {
    append(List.of(started("r1", T0, "acme", "gpt"), attempt("r1", 1, T0.plusMillis(5), 1)));

    RunSummary run = store.findRun("r1").orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(run.endedAt()).isNull();
    assertThat(run.attempts()).isEqualTo(1);
  }

  @Test
  void showsAResumedRunAsRunningAgainUntilItEndsWhateverOrderTheBatchesArriveIn() {
    // A pipeline run dies under lease 1, is resumed (at the last seq of that lease's block), and
    // succeeds under lease 2. The journal writer may deliver these in any order.
    JournalEntry start = pipelineRunStarted("p1", T0);
    JournalEntry dead =
        new JournalEntry(
            "p1",
            JournalEntry.BLOCK + 3,
            T0.plusMillis(10),
            new JournalEvent.RunDead("fetch", "server_error", "503 from the upstream", 4.0));
    JournalEntry resumed =
        new JournalEntry(
            "p1",
            2 * JournalEntry.BLOCK - 1,
            T0.plusMillis(20),
            new JournalEvent.RunResumed("fetch", 1));
    JournalEntry completed =
        new JournalEntry(
            "p1",
            2 * JournalEntry.BLOCK + 2,
            T0.plusMillis(30),
            new JournalEvent.RunCompleted(null, null, null, null, 0.0, 30.0, null));

    append(List.of(start, resumed));
    append(List.of(dead));
    RunSummary afterResume = store.findRun("p1").orElseThrow();
    assertThat(afterResume.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(afterResume.endedAt()).isNull();
    assertThat(afterResume.errorClass()).isNull();

    append(List.of(completed));
    RunSummary ended = store.findRun("p1").orElseThrow();
    assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(ended.endedAt()).isEqualTo(T0.plusMillis(30));

    // In order, and all in one batch, the summary comes out the same.
    append(List.of(retarget(start, "p2"), retarget(dead, "p2")));
    assertThat(store.findRun("p2").orElseThrow().status()).isEqualTo(RunStatus.DEAD);
    assertThat(store.findRun("p2").orElseThrow().errorClass()).isEqualTo("server_error");
    append(List.of(retarget(resumed, "p2")));
    assertThat(store.findRun("p2").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    append(List.of(retarget(completed, "p2")));
    append(
        List.of(
            retarget(start, "p3"),
            retarget(completed, "p3"),
            retarget(resumed, "p3"),
            retarget(dead, "p3")));
    RunSummary inOrder = store.findRun("p2").orElseThrow();
    RunSummary oneBatch = store.findRun("p3").orElseThrow();
    assertThat(inOrder).usingRecursiveComparison().ignoringFields("id").isEqualTo(ended);
    assertThat(oneBatch).usingRecursiveComparison().ignoringFields("id").isEqualTo(ended);
  }

  private static JournalEntry pipelineRunStarted(String runId, Instant at) {
    return new JournalEntry(
        runId,
        0,
        at,
        new JournalEvent.RunStarted(
            "pipeline",
            "digest",
            "ballast",
            "acme",
            null,
            false,
            Pins.pipeline("cfg-1", "0123456789ab"),
            null));
  }

  private static JournalEntry retarget(JournalEntry entry, String runId) {
    return new JournalEntry(runId, entry.seq(), entry.at(), entry.event());
  }

  @Test
  void returnsNothingForAnUnknownRunOrBlob() {
    append(succeededRun("r1", T0, "acme", "gpt"));

    assertThat(store.findRun("nope")).isEmpty();
    assertThat(store.events("nope")).isEmpty();
    assertThat(store.blob(Payload.sha256(new byte[] {1, 2, 3}))).isEmpty();
  }

  @Test
  void keepsEveryAppendFromConcurrentWriters() throws Exception {
    int threads = 4;
    int runsPerThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writes.add(pool.submit(() -> appendRuns(thread, runsPerThread)));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(store.listRuns(RunQuery.latest(RunQuery.MAX_LIMIT)))
        .hasSize(threads * runsPerThread)
        .allSatisfy(run -> assertThat(run.attempts()).isEqualTo(2));
    assertThat(store.events("t3-r49")).hasSize(4);
  }

  private void appendRuns(int thread, int runs) {
    for (int r = 0; r < runs; r++) {
      // Each run is split over two appends so that writers interleave inside runs too.
      List<JournalEntry> run = succeededRun("t" + thread + "-r" + r, T0.plusSeconds(r), "a", "m");
      append(run.subList(2, 4));
      append(run.subList(0, 2));
    }
  }

  @Test
  void keepsCompletedRunsWithoutTheirStartVisibleInListings() {
    append(List.of(completed("r1", 3, T0.plusSeconds(5))));

    assertThat(store.listRuns(RunQuery.latest(10)))
        .extracting(RunSummary::id, RunSummary::status, RunSummary::startedAt)
        .containsExactly(tuple("r1", RunStatus.SUCCEEDED, T0.plusSeconds(5)));
  }

  @Test
  void listsBallastsOwnRunsOnlyWhenAskedForByTheirTenant() {
    append(succeededRun("mine", T0.plusSeconds(1), "acme", "gpt"));
    append(succeededRun("canary", T0.plusSeconds(2), "ballast", "chat"));

    assertThat(store.listRuns(RunQuery.latest(10)))
        .extracting(RunSummary::id)
        .containsExactly("mine");
    assertThat(store.listRuns(new RunQuery("ballast", null, null, null, null, null, 10)))
        .extracting(RunSummary::id)
        .containsExactly("canary");
  }

  /**
   * Listing and filtering over four runs started a minute apart:
   *
   * <pre>
   *   ok-1    acme   gpt     succeeded                 T0+1m
   *   fail-2  acme   claude  failed (rate_limited)     T0+2m
   *   run-3   globex gpt     running                   T0+3m
   *   fail-4  acme   gpt     failed (server_error)     T0+4m
   * </pre>
   */
  @Nested
  class Listing {

    @BeforeEach
    void seedRuns() {
      append(succeededRun("ok-1", at(1), "acme", "gpt"));
      append(failedRun("fail-2", at(2), "acme", "claude", "rate_limited"));
      append(List.of(started("run-3", at(3), "globex", "gpt")));
      append(failedRun("fail-4", at(4), "acme", "gpt", "server_error"));
    }

    private static Instant at(int minute) {
      return T0.plusSeconds(60L * minute);
    }

    private List<String> ids(RunQuery query) {
      return store.listRuns(query).stream().map(RunSummary::id).toList();
    }

    @Test
    void listsNewestFirst() {
      assertThat(ids(RunQuery.latest(10))).containsExactly("fail-4", "run-3", "fail-2", "ok-1");
    }

    @Test
    void limitsTheNewestRuns() {
      assertThat(ids(RunQuery.latest(2))).containsExactly("fail-4", "run-3");
    }

    @Test
    void filtersByTenant() {
      assertThat(ids(new RunQuery("globex", null, null, null, null, null, 10)))
          .containsExactly("run-3");
    }

    @Test
    void filtersByModel() {
      assertThat(ids(new RunQuery(null, "gpt", null, null, null, null, 10)))
          .containsExactly("fail-4", "run-3", "ok-1");
    }

    @Test
    void filtersByStatus() {
      assertThat(ids(new RunQuery(null, null, RunStatus.FAILED, null, null, null, 10)))
          .containsExactly("fail-4", "fail-2");
      assertThat(ids(new RunQuery(null, null, RunStatus.RUNNING, null, null, null, 10)))
          .containsExactly("run-3");
    }

    @Test
    void filtersByErrorClass() {
      assertThat(ids(new RunQuery(null, null, null, "rate_limited", null, null, 10)))
          .containsExactly("fail-2");
    }

    @Test
    void filtersByStartTimeSinceInclusiveUntilExclusive() {
      assertThat(ids(new RunQuery(null, null, null, null, at(2), at(4), 10)))
          .containsExactly("run-3", "fail-2");
    }

    @Test
    void filtersByPipelineAndNeverMatchesAGatewayCall() {
      append(List.of(pipelineStarted("prun-digest", at(5), "digest")));
      append(List.of(pipelineStarted("prun-other", at(6), "other")));
      // A pipeline named like the chat operation does not match gateway chat calls.
      append(List.of(pipelineStarted("prun-chat", at(7), "chat")));

      assertThat(ids(RunQuery.latest(10).withPipeline("digest"))).containsExactly("prun-digest");
      assertThat(ids(RunQuery.latest(10).withPipeline("chat"))).containsExactly("prun-chat");
      assertThat(ids(RunQuery.latest(10).withPipeline("nope"))).isEmpty();
    }

    private static JournalEntry pipelineStarted(String runId, Instant at, String pipeline) {
      return new JournalEntry(
          runId,
          0,
          at,
          new JournalEvent.RunStarted(
              "pipeline",
              pipeline,
              "ballast",
              "acme",
              null,
              false,
              Pins.pipeline("cfg-1", "0123456789ab"),
              null));
    }

    @Test
    void combinesFilters() {
      assertThat(ids(new RunQuery("acme", "gpt", RunStatus.FAILED, null, at(1), null, 10)))
          .containsExactly("fail-4");
    }
  }
}
