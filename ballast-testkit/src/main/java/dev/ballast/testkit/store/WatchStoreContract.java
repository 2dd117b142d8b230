package dev.ballast.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.spi.Store;
import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Watch needs from a store: per-minute aggregates every node reads back alike, and alerts of
 * which at most one per series and signal is open, whichever node opens it. A backend's test
 * extends this class and supplies a fresh, empty store per test.
 */
public abstract class WatchStoreContract {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  protected Store store;

  /** A new, empty store; closed by the kit after each test. */
  protected abstract Store newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private WatchStore watch() {
    return store.watch();
  }

  @Test
  void aNodeRewritesItsOwnMinuteAndEveryNodesRowsAreReadBack() {
    watch()
        .saveMinutes(
            List.of(
                new MinuteAggregate(100, "deployment:a", "latency", "n1", 10, 50.0, 260.0, "99:10"),
                new MinuteAggregate(100, "deployment:a", "latency", "n2", 5, 25.0, 130.0, "99:5"),
                new MinuteAggregate(101, "deployment:a", "latency", "n1", 1, 5.0, 25.0, "100:1")));
    // Late runs: n1 writes minute 100 again with its new totals; the row is replaced, not added.
    watch()
        .saveMinutes(
            List.of(
                new MinuteAggregate(
                    100, "deployment:a", "latency", "n1", 12, 60.0, 310.0, "99:11,100:1")));
    List<MinuteAggregate> rows = watch().minutes(100, 101);
    assertThat(rows).hasSize(2);
    assertThat(rows.stream().mapToLong(MinuteAggregate::count).sum()).isEqualTo(17);
    assertThat(rows)
        .filteredOn(r -> r.node().equals("n1"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.sum()).isEqualTo(60.0);
              assertThat(r.histogram()).isEqualTo("99:11,100:1");
            });
    assertThat(watch().minutes(100, 102)).hasSize(3);
  }

  @Test
  void pruningDeletesOnlyMinutesBeforeTheCut() {
    watch()
        .saveMinutes(
            List.of(
                new MinuteAggregate(10, "group:g", "failure_rate", "n1", 4, 1, 1, ""),
                new MinuteAggregate(20, "group:g", "failure_rate", "n1", 4, 0, 0, "")));
    assertThat(watch().pruneMinutes(15)).isEqualTo(1);
    assertThat(watch().minutes(0, 100)).extracting(MinuteAggregate::minute).containsExactly(20L);
  }

  @Test
  void aSecondOpenForTheSameSeriesAndSignalReturnsTheFirst() {
    WatchStore.Opened first = watch().open(alert("alrt_1", "deployment:a", "model"));
    WatchStore.Opened second = watch().open(alert("alrt_2", "deployment:a", "model"));
    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.alert().id()).isEqualTo("alrt_1");
    // Another signal of the same series is another alert.
    assertThat(watch().open(alert("alrt_3", "deployment:a", "latency")).created()).isTrue();
    assertThat(watch().alerts(AlertState.OPEN, 10))
        .extracting(AlertRecord::id)
        .containsExactlyInAnyOrder("alrt_1", "alrt_3");
  }

  @Test
  void nodesRacingToOpenTheSameAlertOpenItOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<WatchStore.Opened>> racers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String id = "alrt_race_" + i;
        racers.add(() -> watch().open(alert(id, "group:g", "latency")));
      }
      List<String> winners = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (Future<WatchStore.Opened> f : pool.invokeAll(racers)) {
        WatchStore.Opened opened = f.get();
        seen.add(opened.alert().id());
        if (opened.created()) {
          winners.add(opened.alert().id());
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(seen).containsOnly(winners.getFirst());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updatesCountTheJournalSequenceAndAResolvedAlertMakesRoomForANewOne() {
    AlertRecord open = watch().open(alert("alrt_1", "deployment:a", "latency")).alert();
    assertThat(open.seq()).isZero();
    AlertRecord updated =
        watch()
            .update(
                open.withNumbers("critical", "latency ×3", 300.0, 80, Map.of("statistic", 40.0)),
                T0.plusSeconds(60))
            .orElseThrow();
    assertThat(updated.seq()).isEqualTo(1);
    assertThat(updated.severity()).isEqualTo("critical");
    assertThat(updated.current()).isEqualTo(300.0);
    assertThat(updated.details()).containsEntry("statistic", 40.0);
    assertThat(updated.updatedAt()).isEqualTo(T0.plusSeconds(60));

    AlertRecord resolved = watch().resolve("alrt_1", T0.plusSeconds(600), 101.0, 400).orElseThrow();
    assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
    assertThat(resolved.seq()).isEqualTo(2);
    assertThat(resolved.resolvedAt()).isEqualTo(T0.plusSeconds(600));
    // A resolved alert is never resolved or updated again, by this node or another.
    assertThat(watch().resolve("alrt_1", T0.plusSeconds(601), 1.0, 1)).isEmpty();
    assertThat(watch().update(resolved, T0.plusSeconds(601))).isEmpty();

    assertThat(watch().open(alert("alrt_2", "deployment:a", "latency")).created()).isTrue();
    assertThat(watch().alerts(null, 10)).extracting(AlertRecord::id).contains("alrt_1", "alrt_2");
    assertThat(watch().alerts(AlertState.RESOLVED, 10))
        .extracting(AlertRecord::id)
        .containsExactly("alrt_1");
  }

  @Test
  void anAlertKeepsItsRunsNumbersAndDiff() {
    AlertRecord a =
        alert("alrt_1", "deployment:a", "model")
            .withDiff(List.of(new AlertRecord.DiffRow("run", "response_model", "m-1", "m-2")));
    watch().open(a);
    AlertRecord read = watch().alert("alrt_1").orElseThrow();
    assertThat(read).usingRecursiveComparison().ignoringFields("details").isEqualTo(a);
    assertThat(read.details()).containsEntry("seen", "m-2");
    assertThat(watch().alert("alrt_none")).isEmpty();
  }

  private static AlertRecord alert(String id, String series, String signal) {
    return new AlertRecord(
        id,
        series,
        signal,
        "model".equals(signal) ? "model_changed" : "shift_up",
        AlertState.OPEN,
        "warning",
        signal + " changed on " + series,
        T0,
        T0,
        null,
        T0.minusSeconds(30),
        "model".equals(signal) ? null : 100.0,
        "model".equals(signal) ? null : 180.5,
        "model".equals(signal) ? null : "ms",
        42,
        "run_good",
        "run_bad",
        Map.of("seen", "m-2"),
        List.of(),
        0);
  }
}
