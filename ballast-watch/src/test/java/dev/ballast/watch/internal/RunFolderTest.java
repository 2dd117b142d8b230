package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.journal.Decision;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import dev.ballast.core.watch.MinuteAggregate;
import dev.ballast.watch.ExpectedIdentities;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The signals beyond answers and outcomes: breakers, violations, retrieval, context, memory. */
class RunFolderTest {
  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

  private final SeriesTable table = new SeriesTable(WatchSettings.DEFAULT, p -> {});
  private final RunFolder folder = new RunFolder(table, List.of(), ExpectedIdentities.NONE);
  private int seq;
  private List<MinuteAggregate> rows;

  @Test
  void aBreakerOpeningCountsAgainstItsDeploymentsAttempts() {
    gatewayRun("r1");
    feed("r1", failed("d", ErrorClass.SERVER_ERROR, "boom"));
    feed("r1", new JournalEvent.BreakerTransition("d", "closed", "open"));
    gatewayRun("r2");
    feed("r2", answered("d"));

    assertThat(row("deployment:d", "breaker_open_rate")).hasValueSatisfying(m -> counts(m, 3, 1));
  }

  @Test
  void formatViolationsAreToldApartByWhatTheyBroke() {
    gatewayRun("r1");
    feed("r1", answered("d"));
    feed(
        "r1",
        failed(
            "d",
            ErrorClass.FORMAT_VIOLATION,
            "tool call \"lookup\" arguments are not valid JSON: Unexpected end"));
    feed(
        "r1",
        failed(
            "d", ErrorClass.FORMAT_VIOLATION, "output does not match the response_format schema"));
    feed("r1", failed("d", ErrorClass.SERVER_ERROR, "boom"));

    // Of the three answers the deployment gave (the server error is none), one of each kind.
    assertThat(row("deployment:d", "tool_argument_failure_rate"))
        .hasValueSatisfying(m -> counts(m, 3, 1));
    assertThat(row("deployment:d", "schema_violation_rate"))
        .hasValueSatisfying(m -> counts(m, 3, 1));
  }

  @Test
  void aPipelinesRetrievalsContextCutsAndMemoryConflictsAreItsStagesAndCollectionsSeries() {
    feed(
        "p1",
        new JournalEvent.RunStarted(
            "pipeline", "rag", null, "team", null, false, Pins.pipeline("cfg", "v1"), null));
    feed(
        "p1",
        new JournalEvent.Retrieval(
            "find",
            "docs",
            "vector",
            null,
            3,
            3,
            5,
            List.of(
                new JournalEvent.RetrievedChunk("c1", "d1", "h1", 0.82),
                new JournalEvent.RetrievedChunk("c2", "d1", "h2", 0.61)),
            4.0));
    feed("p1", new JournalEvent.Retrieval("find", "docs", "vector", null, 3, 3, 5, List.of(), 3.0));
    feed(
        "p1",
        new JournalEvent.ContextAssembled(
            "pack",
            "m",
            "o200k",
            false,
            1000,
            990,
            List.of(),
            List.of(
                new JournalEvent.ContextItem("chunk", "c2", 0, 300, "budget"),
                new JournalEvent.ContextItem("chunk", "c3", 0, 300, "budget")),
            null));
    feed(
        "p1",
        new JournalEvent.StageFailed(
            "remember", 4, 1, RunFolder.MEMORY_CONFLICT, "lost a race", "retry", T0, null, 2.0));
    feed(
        "p1",
        new JournalEvent.MemoryMutated(
            "remember", "conv-1", 3, 4, "k", List.of("append_turn"), "h", true));

    // Continuous signals are kept on a log scale: count them, their values are the detectors'.
    assertThat(row("collection:docs/vector", "hits"))
        .hasValueSatisfying(m -> assertThat(m.count()).isEqualTo(2));
    assertThat(row("collection:docs/vector", "empty_retrieval_rate"))
        .hasValueSatisfying(m -> counts(m, 2, 1));
    assertThat(row("collection:docs/vector", "top_score")).isPresent();
    assertThat(row("stage:rag/pack", "context_cut_items"))
        .hasValueSatisfying(m -> assertThat(m.sum()).isEqualTo(Math.log1p(2)));
    assertThat(row("stage:rag/pack", "context_cut_rate")).hasValueSatisfying(m -> counts(m, 1, 1));
    assertThat(row("stage:rag/remember", "memory_conflict_rate"))
        .hasValueSatisfying(m -> counts(m, 2, 1));
  }

  @Test
  void aPipelineRunsEndIsItsPipelinesSeriesWithTheCostOfItsStagesCalls() {
    feed(
        "p1",
        new JournalEvent.RunStarted(
            "pipeline", "rag", null, "team", null, false, Pins.pipeline("cfg", "v1"), null));
    gatewayRun("p1/answer/1@1");
    feed("p1/answer/1@1", answered("d"));
    feed(
        "p1/answer/1@1",
        new JournalEvent.RunCompleted(
            "d", "m", "stop", new Usage(10, 5, 0, 0, false), 0.25, 90, null));
    feed("p1", new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 120, null));
    feed(
        "p2",
        new JournalEvent.RunStarted(
            "pipeline", "rag", null, "team", null, false, Pins.pipeline("cfg", "v1"), null));
    feed("p2", new JournalEvent.RunDead("answer", "server_error", "gave up", 300));

    assertThat(row("pipeline:rag", "failure_rate")).hasValueSatisfying(m -> counts(m, 2, 1));
    assertThat(row("pipeline:rag", "cost"))
        .hasValueSatisfying(m -> assertThat(m.sum()).isEqualTo(Math.log(0.25)));
    assertThat(row("pipeline:rag", "latency"))
        .hasValueSatisfying(m -> assertThat(m.count()).isEqualTo(2));
  }

  @Test
  void aReplayedPipelineRunIsNotObserved() {
    feed("p9", new JournalEvent.ReplayOf("p1", "identical", null));
    feed(
        "p9",
        new JournalEvent.RunStarted(
            "pipeline", "rag", null, "team", null, false, Pins.pipeline("cfg", "v1"), null));
    feed("p9", new JournalEvent.Retrieval("find", "docs", "vector", null, 3, 3, 5, List.of(), 3.0));
    feed("p9", new JournalEvent.RunCompleted(null, null, null, Usage.ZERO, 0, 120, null));

    assertThat(row("collection:docs/vector", "hits")).isEmpty();
    assertThat(row("pipeline:rag", "latency")).isEmpty();
  }

  @Test
  void twoFailedCanaryVerdictsInARowProposeAnAlert() {
    List<Proposal> proposals = new ArrayList<>();
    RunFolder folder =
        new RunFolder(
            new SeriesTable(WatchSettings.DEFAULT, proposals::add),
            List.of(),
            ExpectedIdentities.NONE);
    folder.accept(
        new JournalEntry(
            "c1", 0, T0, new JournalEvent.CanaryChecked("paris", T0, true, null, 0.9)));
    folder.accept(
        new JournalEntry(
            "c2", 0, T0, new JournalEvent.CanaryChecked("paris", T0, false, null, 0.2)));
    assertThat(proposals).isEmpty();

    folder.accept(
        new JournalEntry(
            "c3", 0, T0, new JournalEvent.CanaryChecked("paris", T0, false, null, 0.2)));

    assertThat(proposals)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.series()).isEqualTo("canary:paris");
              assertThat(p.signal()).isEqualTo("canary_failing");
              assertThat(p.verdict().evidence().firstBadRun()).isEqualTo("c2");
            });
  }

  @Test
  void aCanarysVerdictsAreItsSeries() {
    feed("c1", new JournalEvent.CanaryChecked("paris", T0, true, List.of(), 0.93));
    feed("c2", new JournalEvent.CanaryChecked("paris", T0, false, List.of(), 0.41));

    assertThat(row("canary:paris", "canary_failure_rate")).hasValueSatisfying(m -> counts(m, 2, 1));
    assertThat(row("canary:paris", "similarity"))
        .hasValueSatisfying(m -> assertThat(m.count()).isEqualTo(2));
  }

  private void gatewayRun(String runId) {
    feed(
        runId,
        new JournalEvent.RunStarted(
            "gateway",
            "chat",
            "openai",
            "team",
            "default",
            false,
            new Pins("cfg", "default", List.of("d")),
            null));
  }

  private void feed(String runId, JournalEvent event) {
    folder.accept(new JournalEntry(runId, seq++, T0, event));
  }

  private static ProviderAttempt answered(String deployment) {
    return ProviderAttempt.answered(
        new ProviderAttempt.Site(1, deployment, "p", "m", "closed", 100),
        null,
        new Usage(10, 5, 0, 0, false),
        0,
        "m",
        null,
        List.of(),
        null,
        null);
  }

  private static ProviderAttempt failed(String deployment, ErrorClass error, String message) {
    return ProviderAttempt.failed(
        new ProviderAttempt.Site(1, deployment, "p", "m", "closed", 100),
        error,
        502,
        message,
        Decision.FAILOVER,
        "other",
        null);
  }

  /** The minute row of one series' signal, as the engine would write it to the store. */
  private Optional<MinuteAggregate> row(String series, String signal) {
    if (rows == null) {
      // Taking a row marks it written: every row is taken once, after the test fed its events.
      rows = new ArrayList<>();
      table.all().forEach(s -> s.dirtyRows("n1", 0, rows));
    }
    return rows.stream()
        .filter(r -> r.series().equals(series) && r.signal().equals(signal))
        .findFirst();
  }

  private static void counts(MinuteAggregate m, long samples, double events) {
    assertThat(m.count()).as("samples").isEqualTo(samples);
    assertThat(m.sum()).as("events").isEqualTo(events);
  }
}
