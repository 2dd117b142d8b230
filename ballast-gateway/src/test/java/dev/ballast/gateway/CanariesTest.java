package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.CanaryChecked;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.testkit.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries: golden prompts run on a cadence as journaled runs of kind {@code canary} for the tenant
 * {@code ballast}, judged by their checks (the similarity by the local embedding model), kept out
 * of the run listing, and run once per period however many nodes share the store.
 */
class CanariesTest {
  private static final String QUESTION = "What is the capital of France?";

  @TempDir Path dataDir;
  @TempDir Path otherDir;

  private static Gateway node(Path dataDir, String storeUrl, String canaries) {
    return node(dataDir, storeUrl, canaries, "");
  }

  private static Gateway node(Path dataDir, String storeUrl, String canaries, String extra) {
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s"}
        providers: {sim: {type: simulator}}
        deployments: {sim: {provider: sim, model: "sim:tokens=12"}}
        groups: {chat: {deployments: [sim]}}
        tenants: {team: {keys: ["%s"]}}
        canaries:
        %s
        %s
        """
            .formatted(storeUrl, ConfigLoader.hashKey("bk-canary"), canaries.indent(2), extra);
    BallastConfig config = ConfigLoader.parse("canaries", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  private static List<RunSummary> canaryRuns(Gateway gateway) {
    gateway.journal().flush(Duration.ofSeconds(10));
    return gateway
        .store()
        .journal()
        .listRuns(new RunQuery(CanaryConfig.TENANT, null, null, null, null, null, 200));
  }

  private static List<JournalEvent> events(Gateway gateway, String runId) {
    return gateway.store().journal().events(runId).stream().map(JournalEntry::event).toList();
  }

  private static CanaryChecked verdict(Gateway gateway, String runId) {
    return events(gateway, runId).stream()
        .filter(CanaryChecked.class::isInstance)
        .map(CanaryChecked.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCanaryRunsAsAJournaledRunJudgedByItsChecksAndStaysOutOfTheListing() {
    String canaries =
        """
        capital:
          group: chat
          every: 1s
          input: "%s"
          checks:
            contains: [capital]
            not_contains: [sorry]
            similar_to: {reference: "Simulated answer to: %s", threshold: 0.5}
        paris: {group: chat, every: 1s, input: "%s", checks: {contains: [Paris]}}
        """
            .formatted(QUESTION, QUESTION, QUESTION);
    try (Gateway gateway = node(dataDir, "sqlite:", canaries)) {
      Map<String, String> byCanary = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (RunSummary run : canaryRuns(gateway)) {
                  if (run.endedAt() != null) {
                    byCanary.putIfAbsent(verdict(gateway, run.id()).canary(), run.id());
                  }
                }
                return byCanary.size() == 2;
              });

      String good = byCanary.get("capital");
      List<JournalEvent> events = events(gateway, good);
      JournalEvent.RunStarted started = (JournalEvent.RunStarted) events.getFirst();
      assertThat(started.kind()).isEqualTo("canary");
      assertThat(started.tenant()).isEqualTo(CanaryConfig.TENANT);
      assertThat(events.get(events.size() - 2)).isInstanceOf(CanaryChecked.class);
      assertThat(events.getLast()).isInstanceOf(JournalEvent.RunCompleted.class);
      CanaryChecked passed = verdict(gateway, good);
      assertThat(passed.passed()).as(passed.failures().toString()).isTrue();
      assertThat(passed.similarity()).isGreaterThan(0.5);

      CanaryChecked failed = verdict(gateway, byCanary.get("paris"));
      assertThat(failed.passed()).isFalse();
      assertThat(failed.failures())
          .extracting(OutputCheckFailure::rule)
          .containsExactly("contains[0]");

      assertThat(
              gateway
                  .store()
                  .journal()
                  .listRuns(new RunQuery(null, null, null, null, null, null, 200)))
          .as("the listing without a tenant leaves Ballast's own runs out")
          .noneMatch(r -> r.tenant().equals(CanaryConfig.TENANT));
    }
  }

  @Test
  void aCanaryFailingTwoPeriodsInARowOpensAnAlertNamingItsFirstFailedRun() {
    String canaries =
        """
        paris: {group: chat, every: 1s, input: "%s", checks: {contains: [Paris]}}
        """
            .formatted(QUESTION);
    try (Gateway gateway = node(dataDir, "sqlite:", canaries)) {
      AtomicReference<AlertRecord> opened = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                gateway.journal().flush(Duration.ofSeconds(10));
                gateway.store().watch().alerts(AlertState.OPEN, 10).stream()
                    .filter(a -> a.series().equals("canary:paris"))
                    .findFirst()
                    .ifPresent(opened::set);
                return opened.get() != null;
              });

      AlertRecord alert = opened.get();
      assertThat(alert.signal()).isEqualTo("canary_failing");
      assertThat(alert.firstBadRun()).isNotNull();
      // The first failed run is the canary's first run: it has failed from the start.
      List<RunSummary> runs = canaryRuns(gateway);
      String first =
          runs.stream().min(Comparator.comparing(RunSummary::startedAt)).orElseThrow().id();
      assertThat(alert.firstBadRun()).isEqualTo(first);
      assertThat(verdict(gateway, alert.firstBadRun()).passed()).isFalse();
    }
  }

  @Test
  void aPipelineCanaryRunsThePipelineAndJudgesItsOutput() {
    String canaries =
        """
        asks: {pipeline: ask, every: 1s, input: {q: "%s"}, checks: {contains: [Simulated]}}
        lies: {pipeline: ask, every: 1s, input: {q: "%s"}, checks: {contains: [Paris]}}
        """
            .formatted(QUESTION, QUESTION);
    String pipelines =
        """
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts: {ask: "{{input.q}}"}
        pipelines:
          ask:
            stages: [{name: answer, type: generate, group: chat, prompt: ask}]
        """;
    try (Gateway gateway = node(dataDir, "sqlite:", canaries, pipelines)) {
      Map<String, CanaryChecked> byCanary = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (RunSummary run : canaryRuns(gateway)) {
                  if (run.endedAt() != null && "canary".equals(run.kind())) {
                    CanaryChecked v = verdict(gateway, run.id());
                    byCanary.putIfAbsent(v.canary(), v);
                  }
                }
                return byCanary.size() == 2;
              });

      assertThat(byCanary.get("asks").passed())
          .as(byCanary.get("asks").failures().toString())
          .isTrue();
      assertThat(byCanary.get("lies").passed()).isFalse();
      assertThat(byCanary.get("lies").failures())
          .extracting(OutputCheckFailure::rule)
          .containsExactly("contains[0]");
      // The pipeline's own runs are the reserved tenant's too, out of the listing.
      assertThat(
              gateway
                  .store()
                  .journal()
                  .listRuns(new RunQuery(CanaryConfig.TENANT, null, null, null, null, null, 200)))
          .anyMatch(r -> "pipeline".equals(r.kind()));
    }
  }

  @Test
  void twoNodesOnPostgresqlRunOneCopyPerPeriod() {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_canary_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String store = base + "&schema=" + schema;
    String canaries =
        "ping: {group: chat, every: 1s, input: \"ping\", checks: {contains: [ping]}}\n";
    try (Gateway a = node(dataDir, store, canaries);
        Gateway b = node(otherDir, store, canaries)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> canaryRuns(a).size() >= 5);
      a.journal().flush(Duration.ofSeconds(10));
      b.journal().flush(Duration.ofSeconds(10));
      List<RunSummary> runs = canaryRuns(a);
      Map<Instant, Long> perPeriod = new HashMap<>();
      for (RunSummary run : runs) {
        events(a, run.id()).stream()
            .filter(CanaryChecked.class::isInstance)
            .map(e -> ((CanaryChecked) e).period())
            .forEach(p -> perPeriod.merge(p, 1L, Long::sum));
      }
      assertThat(perPeriod).isNotEmpty();
      assertThat(perPeriod.values()).as("canary runs per period").allMatch(n -> n == 1);
      assertThat(runs).allSatisfy(r -> assertThat(r.kind()).isEqualTo("canary"));
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }
}
