package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.WatchSettings;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.Store;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.store.Stores;
import dev.ballast.testkit.MutableClock;
import dev.ballast.watch.ExpectedIdentities;
import dev.ballast.watch.ExpectedIdentity;
import dev.ballast.watch.RunDiffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against a real SQLite store, on a clock the test moves: journal entries in, alert rows
 * and alert journal events out, baselines shared through the store's minutes.
 */
class WatchEngineTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  private Store store;
  private final MutableClock clock = new MutableClock(T0);
  private final List<JournalEntry> journal = new CopyOnWriteArrayList<>();
  private final List<String> diffed = new CopyOnWriteArrayList<>();
  private final List<String> notified = new CopyOnWriteArrayList<>();
  private final Random rng = new Random(42);
  private int runs;

  @BeforeEach
  void open() {
    store = Stores.open("sqlite:", dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aNewModelOpensOneAlertNamingTheLastGoodAndFirstBadRunsWithTheirDiff() {
    WatchEngine node = engine("n1", ExpectedIdentities.NONE);
    for (int i = 0; i < 20; i++) {
      node.accept(call("d", 200, "m-1"));
    }
    String lastGood = "run-" + (runs - 1);
    node.accept(call("d", 200, "m-2"));
    String firstBad = "run-" + (runs - 1);
    node.tick();

    List<AlertRecord> open = store.watch().alerts(AlertState.OPEN, 10);
    assertThat(open)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.series()).isEqualTo("deployment:d");
              assertThat(a.signal()).isEqualTo("model");
              assertThat(a.kind()).isEqualTo("model_changed");
              assertThat(a.lastGoodRun()).isEqualTo(lastGood);
              assertThat(a.firstBadRun()).isEqualTo(firstBad);
              assertThat(a.diff()).extracting(AlertRecord.DiffRow::bad).containsExactly("m-2");
            });
    assertThat(diffed).containsExactly(lastGood + " " + firstBad);
    assertThat(alertEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.runId()).isEqualTo(open.getFirst().id());
              assertThat(e.seq()).isZero();
              JournalEvent.AlertChanged c = (JournalEvent.AlertChanged) e.event();
              assertThat(c.transition()).isEqualTo("opened");
              assertThat(c.changed()).containsExactly("run.response_model: m-1 -> m-2");
            });
    assertThat(node.openAlerts()).hasSize(1);
  }

  @Test
  void embeddingsAndChatOnOneDeploymentAreSeriesOfTheirOwn() {
    WatchEngine node = engine("n1", ExpectedIdentities.NONE);
    for (int i = 0; i < 30; i++) {
      node.accept(call("d", 200, "m-1"));
      node.accept(call("d", 20, "embed-1", "embeddings"));
    }
    node.tick();
    assertThat(store.watch().alerts(null, 10)).isEmpty();
    // A change of the embedding model is still a change, on the embeddings series.
    node.accept(call("d", 20, "embed-2", "embeddings"));
    node.tick();
    assertThat(store.watch().alerts(AlertState.OPEN, 10))
        .singleElement()
        .satisfies(a -> assertThat(a.series()).isEqualTo("deployment:d/embeddings"));
  }

  @Test
  void aPipelineStagesCallsAreObservedAsTheStagesSeriesAsWellAsTheGroupsAndTenants() {
    WatchEngine node = engine("n1", ExpectedIdentities.NONE);
    node.accept(
        List.of(
            new JournalEntry(
                "prun_1",
                0,
                clock.instant(),
                new JournalEvent.RunStarted(
                    "pipeline",
                    "ask",
                    "ballast",
                    "team",
                    null,
                    false,
                    Pins.pipeline("cfg", "v1"),
                    null))));
    List<JournalEntry> stageCall = new ArrayList<>();
    for (JournalEntry e : call("d", 300, "m-1")) {
      stageCall.add(new JournalEntry("prun_1/answer/1@1", e.seq(), e.at(), e.event()));
    }
    node.accept(stageCall);
    node.tick();
    assertThat(store.watch().minutes(0, Long.MAX_VALUE))
        .extracting(m -> m.series())
        .contains("stage:ask/answer", "group:default", "tenant:team", "deployment:d");
  }

  @Test
  void anUnexpectedModelOpensAtTheFirstAnswer() {
    WatchEngine node =
        engine("n1", d -> Optional.of(new ExpectedIdentity("gpt-4o-2024-08-06", Set.of())));
    node.accept(call("d", 200, "gpt-4o-mini"));
    node.tick();
    assertThat(store.watch().alerts(AlertState.OPEN, 10))
        .singleElement()
        .satisfies(a -> assertThat(a.details()).containsKey("expected"));
  }

  @Test
  void twoNodesSeeingTheSameChangeOpenOneAlertAndJournalItOnce() {
    WatchEngine a = engine("n1", ExpectedIdentities.NONE);
    WatchEngine b = engine("n2", ExpectedIdentities.NONE);
    for (int i = 0; i < 20; i++) {
      a.accept(call("d", 200, "m-1"));
      b.accept(call("d", 200, "m-1"));
    }
    a.accept(call("d", 200, "m-2"));
    b.accept(call("d", 200, "m-2"));
    a.tick();
    b.tick();
    assertThat(store.watch().alerts(null, 10)).hasSize(1);
    assertThat(alertEvents()).hasSize(1);
    // Only the node whose write opened it notifies.
    assertThat(notified).containsExactly("opened " + store.watch().alerts(null, 1).getFirst().id());
  }

  @Test
  void aLatencyShiftOpensAnAlertThatResolvesAfterRecovery() {
    WatchEngine node = engine("n1", ExpectedIdentities.NONE);
    traffic(node, 30, 1.0);
    assertThat(store.watch().alerts(null, 10)).isEmpty();

    traffic(node, 3, 2.0);
    AlertRecord open =
        store.watch().alerts(AlertState.OPEN, 10).stream()
            .filter(a -> a.signal().equals("latency") && a.series().equals("deployment:d"))
            .findFirst()
            .orElseThrow();
    assertThat(open.series()).isEqualTo("deployment:d");
    assertThat(open.kind()).isEqualTo("shift_up");
    assertThat(open.baseline()).isBetween(170.0, 230.0);
    assertThat(open.current()).isBetween(300.0, 500.0);
    assertThat(open.lastGoodRun()).isNotNull();
    assertThat(open.firstBadRun()).isNotNull();

    traffic(node, 10, 1.0);
    AlertRecord resolved = store.watch().alert(open.id()).orElseThrow();
    assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
    assertThat(alertEvents())
        .filteredOn(e -> e.runId().equals(open.id()))
        .extracting(e -> ((JournalEvent.AlertChanged) e.event()).transition())
        .startsWith("opened")
        .endsWith("resolved");
    // Updates are journaled, never notified.
    assertThat(notified)
        .filteredOn(n -> n.endsWith(open.id()))
        .containsExactly("opened " + open.id(), "resolved " + open.id());
  }

  @Test
  void aRestartedNodeComparesAgainstTheBaselineInTheStore() {
    WatchEngine first = engine("n1", ExpectedIdentities.NONE);
    traffic(first, 30, 1.0);
    // The node restarts: a new engine with nothing in memory reads the window at its first tick.
    WatchEngine restarted = engine("n1-again", ExpectedIdentities.NONE);
    restarted.tick();
    int before = runs;
    while (store.watch().alerts(AlertState.OPEN, 10).isEmpty() && runs - before < 400) {
      restarted.accept(call("d", ShiftDetectorTest.lognormal(rng, 400), "m-1"));
      if ((runs - before) % 20 == 0) {
        restarted.tick();
      }
    }
    restarted.tick();
    assertThat(store.watch().alerts(AlertState.OPEN, 10))
        .extracting(AlertRecord::signal)
        .contains("latency");
    // Fewer runs than the detector's minimum: the baseline came from the store, not from them.
    assertThat(runs - before).isLessThan(WatchSettings.Detector.CONTINUOUS.minSamples());
  }

  /** {@code minutes} of traffic at 2 requests per second, ticking every 10 s as a node would. */
  private void traffic(WatchEngine node, int minutes, double latencyFactor) {
    for (int s = 0; s < minutes * 60; s++) {
      for (int r = 0; r < 2; r++) {
        node.accept(call("d", ShiftDetectorTest.lognormal(rng, 200) * latencyFactor, "m-1"));
      }
      clock.advance(Duration.ofSeconds(1));
      if (s % 10 == 9) {
        node.tick();
      }
    }
  }

  private List<JournalEntry> alertEvents() {
    return journal.stream().filter(e -> e.event() instanceof JournalEvent.AlertChanged).toList();
  }

  private WatchEngine engine(String node, ExpectedIdentities expected) {
    RunDiffer differ =
        (good, bad) -> {
          diffed.add(good + " " + bad);
          return List.of(new AlertRecord.DiffRow("run", "response_model", "m-1", "m-2"));
        };
    WatchEngine engine =
        new WatchEngine(
            WatchSettings.DEFAULT,
            store.watch(),
            journal::add,
            differ,
            expected,
            (alert, transition) -> notified.add(transition + " " + alert.id()),
            clock,
            node);
    engine.tick();
    return engine;
  }

  private List<JournalEntry> call(String deployment, double latencyMs, String model) {
    return call(deployment, latencyMs, model, "chat");
  }

  private List<JournalEntry> call(
      String deployment, double latencyMs, String model, String operation) {
    String runId = "run-" + runs++;
    Instant at = clock.instant();
    Usage usage = new Usage(100, 50, 0, 0, false);
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(
        new JournalEntry(
            runId,
            0,
            at,
            new JournalEvent.RunStarted(
                "gateway",
                operation,
                "openai",
                "team",
                "default",
                false,
                new Pins("cfg", "default", List.of(deployment)),
                null)));
    entries.add(
        new JournalEntry(
            runId,
            1,
            at,
            ProviderAttempt.answered(
                new ProviderAttempt.Site(1, deployment, "p", "upstream", null, latencyMs),
                null,
                usage,
                0.001,
                model,
                "fp-1",
                List.of(),
                null,
                null)));
    entries.add(
        new JournalEntry(
            runId,
            2,
            at,
            new JournalEvent.RunCompleted(
                deployment, model, "stop", usage, 0.001, latencyMs, null)));
    return entries;
  }
}
