package dev.ballast.testkit.store;

import static dev.ballast.testkit.store.JournalFixtures.T0;
import static dev.ballast.testkit.store.JournalFixtures.blobsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.RunCursor;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.model.Usage;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.NewChunk;
import dev.ballast.core.stats.GenerationStats;
import dev.ballast.core.stats.PipelineStats;
import dev.ballast.core.stats.SpendGroup;
import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import dev.ballast.core.stats.StatsBucket;
import dev.ballast.core.stats.StatsDimension;
import dev.ballast.core.stats.StatsQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the console reads from a store: keyset pages of the run list and the store's {@link
 * Aggregates}. A backend's test extends this class and supplies a fresh, empty store per test.
 */
public abstract class RunStatsContract {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** The store under test; {@link #store} is its journal. */
  protected Store stores;

  protected JournalStore store;

  /** A new store with no runs in it; closed by the kit after each test. */
  protected abstract Store newStore();

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

  private Aggregates stats() {
    return stores.aggregates();
  }

  private void append(List<JournalEntry> entries) {
    store.append(entries, blobsOf(entries));
  }

  // ---- keyset pagination ----

  @Test
  void pagesWalkEveryRunOnceNewestFirstAcrossEqualStartTimes() {
    // Three runs share each start time: a page boundary inside a tie must neither skip nor repeat.
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String id = "run-" + (char) ('a' + i);
      append(List.of(JournalFixtures.started(id, T0.plusSeconds(i / 3), "acme", "gpt")));
      expected.add(0, id);
    }
    List<String> seen = new ArrayList<>();
    RunQuery query = RunQuery.latest(5);
    while (true) {
      List<RunSummary> page = store.listRuns(query);
      page.forEach(r -> seen.add(r.id()));
      if (page.size() < 5) {
        break;
      }
      query = query.withAfter(RunCursor.after(page.get(page.size() - 1)));
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void aPageKeepsItsFilters() {
    for (int i = 0; i < 6; i++) {
      append(
          List.of(
              JournalFixtures.started(
                  "run-" + i, T0.plusSeconds(i), i % 2 == 0 ? "acme" : "globex", "gpt")));
    }
    RunQuery first = new RunQuery("acme", null, null, null, null, null, 2);
    List<RunSummary> page = store.listRuns(first);
    List<RunSummary> next = store.listRuns(first.withAfter(RunCursor.after(page.get(1))));

    assertThat(page).extracting(RunSummary::id).containsExactly("run-4", "run-2");
    assertThat(next).extracting(RunSummary::id).containsExactly("run-0");
  }

  // ---- per model group ----

  @Test
  void groupsCountRunsByOutcomeWithTheirTokensAndCost() {
    append(JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt"));
    append(JournalFixtures.succeededRun("ok-2", T0.plusSeconds(10), "acme", "gpt"));
    append(JournalFixtures.failedRun("bad-1", T0.plusSeconds(20), "acme", "gpt", "timeout"));
    append(List.of(JournalFixtures.started("open-1", T0.plusSeconds(30), "acme", "gpt")));

    StatsBucket b = only(series(StatsDimension.GROUP, null), "gpt", 0);

    assertThat(b.requests()).isEqualTo(4);
    assertThat(b.outcomes())
        .isEqualTo(Map.of(StatsBucket.OK, 2L, "timeout", 1L, StatsBucket.RUNNING, 1L));
    assertThat(b.inputTokens()).isEqualTo(20);
    assertThat(b.outputTokens()).isEqualTo(40);
    assertThat(b.cost()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void anAlertsJournalListsAsAWatchRunEndedAtItsLatestTransitionAndCountsInNoGroup() {
    append(JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt"));
    append(
        List.of(
            new JournalEntry("alrt_1", 0, T0.plusSeconds(5), alert("opened")),
            new JournalEntry("alrt_1", 1, T0.plusSeconds(65), alert("updated"))));
    RunSummary open = store.findRun("alrt_1").orElseThrow();
    assertThat(open.kind()).isEqualTo("watch");
    assertThat(open.tenant()).isEqualTo("ballast");
    // Never running: whether the alert is open is the alert's state, not the run's.
    assertThat(open.status()).isEqualTo(dev.ballast.core.journal.RunStatus.SUCCEEDED);
    assertThat(open.endedAt()).isEqualTo(T0.plusSeconds(65));

    append(List.of(new JournalEntry("alrt_1", 2, T0.plusSeconds(125), alert("resolved"))));
    RunSummary resolved = store.findRun("alrt_1").orElseThrow();
    assertThat(resolved.status()).isEqualTo(dev.ballast.core.journal.RunStatus.SUCCEEDED);
    assertThat(resolved.endedAt()).isEqualTo(T0.plusSeconds(125));

    assertThat(series(StatsDimension.GROUP, null))
        .extracting(StatsBucket::series)
        .containsOnly("gpt");
  }

  private static JournalEvent.AlertChanged alert(String transition) {
    return new JournalEvent.AlertChanged(
        transition,
        "deployment:d",
        "latency",
        "shift_up",
        "warning",
        "latency up ×1.6",
        200.0,
        320.0,
        "ms",
        T0,
        "run-good",
        "run-bad",
        List.of());
  }

  @Test
  void groupLatencyIsTheEndedRunsDurationAsTheClientSawIt() {
    // succeededRun ends 30 ms after it starts, failedRun 20 ms after.
    append(JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt"));
    append(JournalFixtures.failedRun("bad-1", T0.plusSeconds(1), "acme", "gpt", "timeout"));
    append(List.of(JournalFixtures.started("open-1", T0.plusSeconds(2), "acme", "gpt")));

    StatsBucket b = only(series(StatsDimension.GROUP, null), "gpt", 0);

    assertThat(b.latencyP50Ms()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(b.latencyP99Ms()).isCloseTo(29.9, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void runsFallIntoTheBucketOfTheirStart() {
    append(JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt"));
    append(JournalFixtures.succeededRun("ok-2", T0.plusSeconds(125), "acme", "gpt"));

    List<StatsBucket> buckets = series(StatsDimension.GROUP, null);

    assertThat(buckets)
        .extracting(StatsBucket::index, StatsBucket::requests)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(0, 1L), org.assertj.core.groups.Tuple.tuple(2, 1L));
  }

  @Test
  void aTenantSeesOnlyItsOwnRuns() {
    append(JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt"));
    append(JournalFixtures.succeededRun("ok-2", T0, "globex", "gpt"));

    assertThat(only(series(StatsDimension.GROUP, "acme"), "gpt", 0).requests()).isEqualTo(1);
    assertThat(only(series(StatsDimension.DEPLOYMENT, "acme"), "primary", 0).requests())
        .isEqualTo(2);
    assertThat(only(series(StatsDimension.GROUP, null), "gpt", 0).requests()).isEqualTo(2);
  }

  // ---- per deployment ----

  @Test
  void deploymentsCountEveryAttemptByOutcome() {
    append(
        List.of(
            JournalFixtures.started("r1", T0, "acme", "gpt"),
            attempt("r1", 1, T0.plusMillis(5), "primary", "server_error", 40, null),
            attempt("r1", 2, T0.plusMillis(60), "backup", "ok", 100, 30.0),
            JournalFixtures.completed("r1", 3, T0.plusMillis(70))));

    List<StatsBucket> buckets = series(StatsDimension.DEPLOYMENT, null);

    assertThat(only(buckets, "primary", 0).outcomes()).isEqualTo(Map.of("server_error", 1L));
    StatsBucket backup = only(buckets, "backup", 0);
    assertThat(backup.outcomes()).isEqualTo(Map.of(StatsBucket.OK, 1L));
    assertThat(backup.latencyP50Ms()).isEqualTo(100.0);
    assertThat(backup.ttftP50Ms()).isEqualTo(30.0);
    assertThat(only(buckets, "primary", 0).ttftP50Ms()).isNull();
  }

  @Test
  void groupTimeToFirstTokenComesFromItsAnsweringAttempts() {
    append(
        List.of(
            JournalFixtures.started("r1", T0, "acme", "gpt"),
            attempt("r1", 1, T0.plusMillis(60), "primary", "ok", 100, 30.0),
            JournalFixtures.completed("r1", 2, T0.plusMillis(70))));

    assertThat(only(series(StatsDimension.GROUP, null), "gpt", 0).ttftP50Ms()).isEqualTo(30.0);
  }

  @Test
  void aBatchDeliveredTwiceCountsItsAttemptsOnce() {
    List<JournalEntry> run = JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt");
    append(run);
    append(run);

    assertThat(only(series(StatsDimension.DEPLOYMENT, null), "primary", 0).requests()).isEqualTo(2);
  }

  @Test
  void attemptsStoredBeforeTheirRunStartedGetItsTenantWhenItArrives() {
    List<JournalEntry> run = JournalFixtures.succeededRun("ok-1", T0, "acme", "gpt");
    append(run.subList(1, run.size()));
    assertThat(series(StatsDimension.DEPLOYMENT, "acme")).isEmpty();

    append(run.subList(0, 1));

    assertThat(only(series(StatsDimension.DEPLOYMENT, "acme"), "primary", 0).requests())
        .isEqualTo(2);
    assertThat(only(series(StatsDimension.GROUP, "acme"), "gpt", 0).ttftP50Ms()).isNull();
  }

  // ---- pipelines ----

  @Test
  void pipelinesReportDepthPerStateAndTheOldestReadyRun() {
    RunQueue queue = stores.runQueue();
    queue.enqueue(newRun("p1", "digest", "acme", T0), T0);
    queue.enqueue(newRun("p2", "digest", "acme", T0.plusSeconds(30)), T0);
    queue.enqueue(newRun("p3", "enrich", "globex", T0), T0);

    Instant now = T0.plusSeconds(60);
    List<PipelineStats> all = stats().pipelineStats(null, now, Duration.ofMinutes(5));
    List<PipelineStats> acme = stats().pipelineStats("acme", now, Duration.ofMinutes(5));

    assertThat(all).extracting(PipelineStats::pipeline).containsExactly("digest", "enrich");
    PipelineStats digest = all.get(0);
    assertThat(digest.depth().get(QueueState.QUEUED)).isEqualTo(2);
    assertThat(digest.depth().get(QueueState.DEAD)).isZero();
    assertThat(digest.oldestReadyAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(acme).extracting(PipelineStats::pipeline).containsExactly("digest");
  }

  // ---- collections ----

  @Test
  void generationsCountWhatIsLiveInEachNewestFirst() {
    DocumentStore docs = stores.documents();
    docs.ensureCollection("docs", "m", 2);
    docs.commit("docs", "m", List.of(doc("a", "one", "two"), doc("b", "three")), List.of());
    docs.commit("docs", "m", List.of(doc("a", "one")), List.of("b"));

    List<GenerationStats> generations = stats().generations("docs", 10);

    assertThat(generations)
        .extracting(
            GenerationStats::generation,
            GenerationStats::documents,
            GenerationStats::chunks,
            GenerationStats::added,
            GenerationStats::retired)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, 1L, 1L, 0L, 2L),
            org.assertj.core.groups.Tuple.tuple(1L, 2L, 3L, 3L, 0L));
    assertThat(stats().generations("docs", 1)).hasSize(1);
    assertThat(stats().generations("none", 10)).isEmpty();
  }

  private static DocumentChunks doc(String id, String... texts) {
    List<NewChunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      chunks.add(new NewChunk(i, texts[i], "h-" + texts[i], List.of(), new float[] {1, 0}));
    }
    return new DocumentChunks(id, "Title " + id, "text/plain", "d-" + id, chunks);
  }

  private static NewRun newRun(String id, String pipeline, String tenant, Instant availableAt) {
    return new NewRun(
        id, pipeline, "v1", tenant, 0, "{}".getBytes(StandardCharsets.UTF_8), null, availableAt);
  }

  private List<StatsBucket> series(StatsDimension dimension, String tenant) {
    return stats()
        .series(new StatsQuery(tenant, T0, T0.plus(Duration.ofMinutes(10)), MINUTE, dimension));
  }

  // ---- spend ----

  /**
   * Seeds: acme's gpt call by key k1 (two answered attempts), acme's claude call by a configuration
   * key (one attempt), globex's gpt call by key k2 (one), a pipeline "digest" of acme's whose stage
   * made a gpt call (one), an acme call refused before any attempt, and an acme call after the
   * window. Each answered attempt: 10 input, 20 output tokens, USD 0.001.
   */
  private void seedSpend() {
    append(keyed(spendCall("c-1", T0, "acme", "gpt", 2), "k1"));
    append(spendCall("c-2", T0.plusSeconds(60), "acme", "claude", 1));
    append(keyed(spendCall("c-3", T0.plusSeconds(120), "globex", "gpt", 1), "k2"));
    append(
        List.of(
            new JournalEntry(
                "prun_1",
                0,
                T0.plusSeconds(170),
                new JournalEvent.RunStarted(
                    "pipeline", "digest", "ballast", "acme", null, false, null, null))));
    append(spendCall("prun_1/draft/1@1", T0.plusSeconds(180), "acme", "gpt", 1));
    append(spendCall("late", T0.plus(Duration.ofHours(3)), "acme", "gpt", 1));
    append(
        List.of(
            JournalFixtures.started("refused", T0.plusSeconds(200), "acme", "gpt"),
            JournalFixtures.failed(
                "refused", 1, T0.plusSeconds(200), "tenant_requests_per_minute_exceeded")));
  }

  private static final Instant SPEND_UNTIL = T0.plus(Duration.ofHours(1));

  @Test
  void spendPerTenantAddsTheWindowsAttempts() {
    seedSpend();

    List<SpendRow> rows = stats().spend(new SpendQuery(null, T0, SPEND_UNTIL, SpendGroup.TENANT));

    assertThat(rows)
        .extracting(
            SpendRow::group, SpendRow::requests, SpendRow::inputTokens, SpendRow::outputTokens)
        .containsExactlyInAnyOrder(
            // The refused call is a request without tokens or cost.
            org.assertj.core.groups.Tuple.tuple("acme", 4L, 40L, 80L),
            org.assertj.core.groups.Tuple.tuple("globex", 1L, 10L, 20L));
    assertThat(rows)
        .filteredOn(r -> r.group().equals("acme"))
        .singleElement()
        .extracting(SpendRow::costUsd)
        .satisfies(
            cost -> assertThat(cost).isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void spendPerModelKeyAndPipeline() {
    seedSpend();

    assertThat(spend(null, SpendGroup.MODEL))
        .containsExactlyInAnyOrderEntriesOf(Map.of("gpt", 4L, "claude", 1L));
    assertThat(spend(null, SpendGroup.KEY))
        .containsExactlyInAnyOrderEntriesOf(Map.of("k1", 2L, "k2", 1L, "(none)", 2L));
    assertThat(spend(null, SpendGroup.PIPELINE))
        .containsExactlyInAnyOrderEntriesOf(Map.of("digest", 1L, "(none)", 4L));
  }

  @Test
  void spendOfOneTenantCountsOnlyItsCalls() {
    seedSpend();

    assertThat(spend("globex", SpendGroup.TENANT)).containsExactlyEntriesOf(Map.of("globex", 1L));
    assertThat(spend("acme", SpendGroup.MODEL))
        .containsExactlyInAnyOrderEntriesOf(Map.of("gpt", 3L, "claude", 1L));
    assertThat(stats().spend(new SpendQuery("nobody", T0, SPEND_UNTIL, SpendGroup.TENANT)))
        .isEmpty();
  }

  @Test
  void spendCountsARunOnceWhateverItsAttemptsAndLeavesOutOtherWindows() {
    // c-1 made two attempts: one request.
    seedSpend();

    List<SpendRow> late =
        stats()
            .spend(new SpendQuery(null, SPEND_UNTIL, T0.plus(Duration.ofHours(4)), SpendGroup.KEY));

    assertThat(
            stats().spend(new SpendQuery("acme", T0, SPEND_UNTIL, SpendGroup.KEY)).stream()
                .filter(r -> "k1".equals(r.group()))
                .map(SpendRow::requests))
        .containsExactly(1L);
    assertThat(late).hasSize(1);
    assertThat(late.get(0).group()).isNull();
    assertThat(late.get(0).requests()).isEqualTo(1);
    assertThat(late.get(0).costUsd()).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-9));
  }

  /** Attempts (tokens / 30) per group, a missing group as "(none)". */
  private Map<String, Long> spend(String tenant, SpendGroup group) {
    Map<String, Long> attempts = new java.util.HashMap<>();
    for (SpendRow row : stats().spend(new SpendQuery(tenant, T0, SPEND_UNTIL, group))) {
      long tokens = row.inputTokens() + row.outputTokens();
      assertThat(row.costUsd())
          .isCloseTo(tokens / 30 * 0.001, org.assertj.core.data.Offset.offset(1e-9));
      attempts.put(row.group() == null ? "(none)" : row.group(), tokens / 30);
    }
    return attempts;
  }

  private static List<JournalEntry> spendCall(
      String runId, Instant at, String tenant, String model, int attempts) {
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(JournalFixtures.started(runId, at, tenant, model));
    for (int i = 1; i <= attempts; i++) {
      entries.add(attempt(runId, i, at.plusMillis(i), "primary", "ok", 100, null));
    }
    return entries;
  }

  private static List<JournalEntry> keyed(List<JournalEntry> entries, String keyId) {
    List<JournalEntry> out = new ArrayList<>(entries);
    JournalEntry first = out.get(0);
    JournalEvent.RunStarted s = (JournalEvent.RunStarted) first.event();
    out.set(
        0,
        new JournalEntry(
            first.runId(),
            first.seq(),
            first.at(),
            new JournalEvent.RunStarted(
                s.kind(),
                s.operation(),
                s.api(),
                s.tenant(),
                s.model(),
                s.stream(),
                s.pins(),
                s.request(),
                keyId)));
    return out;
  }

  private static StatsBucket only(List<StatsBucket> buckets, String series, int index) {
    Optional<StatsBucket> found =
        buckets.stream().filter(b -> b.series().equals(series) && b.index() == index).findFirst();
    assertThat(found).as("bucket %d of %s in %s", index, series, buckets).isPresent();
    return found.get();
  }

  private static JournalEntry attempt(
      String runId,
      int seq,
      Instant at,
      String deployment,
      String outcome,
      double latencyMs,
      Double ttftMs) {
    boolean ok = outcome.equals("ok");
    return new JournalEntry(
        runId,
        seq,
        at,
        new JournalEvent.ProviderAttempt(
            seq,
            deployment,
            "openai",
            "gpt-4o",
            outcome,
            ok ? 200 : 500,
            ok ? null : "boom",
            latencyMs,
            ttftMs,
            ok ? new Usage(10, 20, 0, 0, false) : null,
            ok ? 0.001 : 0,
            ok ? "gpt-4o" : null,
            null,
            "closed",
            ok ? "answered" : "failover",
            List.of(),
            null,
            null));
  }
}
