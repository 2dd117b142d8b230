package dev.ballast.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Resilience;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.spi.Provider;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import dev.ballast.resilience.PriorityBulkhead;
import dev.ballast.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which deployment of a group a call tries first under each strategy, on a hand-moved clock: no
 * provider is called, no socket opened. Deployments a, b, c in group g; fallback group f holds d.
 */
class SpreadLoadTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void orderedKeepsTheConfiguredOrder() {
    Fixture f = new Fixture("ordered", "");
    for (int i = 0; i < 5; i++) {
      assertThat(f.names()).containsExactly("a", "b", "c", "d");
    }
  }

  @Test
  void weightedSpreadsFirstAttemptsByWeightInterleaved() {
    Fixture f = new Fixture("weighted", "weights: {a: 3, b: 1, c: 0}");
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      List<String> route = f.names();
      firsts.add(route.getFirst());
      // The others follow in configured order, then the fallback group's.
      assertThat(route).hasSize(4).endsWith("d");
    }
    assertThat(firsts).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
  }

  @Test
  void weightedSkipsACoolingDeploymentUntilItsCooldownEnds() {
    Fixture f = new Fixture("weighted", "weights: {a: 1, b: 1, c: 1}");
    f.resilience.health("b").cooldownUntil(clock.instant().plusSeconds(10));
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      List<String> route = f.names();
      firsts.merge(route.getFirst(), 1, Integer::sum);
      assertThat(route.subList(2, 4)).containsExactly("b", "d");
    }
    assertThat(firsts).containsOnlyKeys("a", "c");

    clock.advance(Duration.ofSeconds(11));
    Map<String, Integer> after = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      after.merge(f.names().getFirst(), 1, Integer::sum);
    }
    assertThat(after).containsKey("b");
  }

  @Test
  void leastBusyPutsTheDeploymentWithFewestCallsInFlightFirst() throws Exception {
    Fixture f = new Fixture("least_busy", "");
    Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);
    try (PriorityBulkhead.Slot a =
            f.resilience.bulkhead("a").acquire(Priority.INTERACTIVE, deadline);
        PriorityBulkhead.Slot a2 =
            f.resilience.bulkhead("a").acquire(Priority.INTERACTIVE, deadline);
        PriorityBulkhead.Slot b =
            f.resilience.bulkhead("b").acquire(Priority.INTERACTIVE, deadline)) {
      assertThat(f.names()).containsExactly("c", "b", "a", "d");
    }
    assertThat(f.names()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void latencyPrefersTheLowestMedianTimeToFirstTokenOnceMeasured() {
    Fixture f = new Fixture("latency", "");
    for (int i = 0; i < 5; i++) {
      f.resilience.recordFirstToken("a", Duration.ofMillis(400));
      f.resilience.recordFirstToken("b", Duration.ofMillis(100));
    }
    // c has too few samples: it counts as fastest, so that it gets measured.
    assertThat(f.names()).containsExactly("c", "b", "a", "d");
    for (int i = 0; i < 5; i++) {
      f.resilience.recordFirstToken("c", Duration.ofMillis(250));
    }
    assertThat(f.names()).containsExactly("b", "c", "a", "d");
  }

  @Test
  void anOpenBreakerIsNeverFirst() {
    Fixture f = new Fixture("latency", "");
    for (int i = 0; i < 5; i++) {
      f.resilience.recordFirstToken("a", Duration.ofMillis(400));
      f.resilience.recordFirstToken("b", Duration.ofMillis(100));
      f.resilience.recordFirstToken("c", Duration.ofMillis(250));
    }
    f.resilience
        .health("b")
        .acquire()
        .onFailure(
            dev.ballast.core.ErrorClass.SERVER_ERROR, Duration.ZERO, java.util.Optional.empty());
    assertThat(f.names()).containsExactly("c", "a", "b", "d");
  }

  @Test
  void aDeploymentFailingOftenBehindAClosedBreakerGoesBehindTheHealthyOnesEvenInOrder() {
    // A breaker that never opens, as in the brownout benchmark's no-breaker row.
    Fixture f = new Fixture("ordered", "", "breaker: {window: 100000, failure_rate: 100}");
    for (int i = 0; i < 20; i++) {
      var permit = f.resilience.health("a").acquire();
      if (i % 2 == 0) {
        permit.onFailure(
            dev.ballast.core.ErrorClass.SERVER_ERROR, Duration.ZERO, java.util.Optional.empty());
      } else {
        permit.onSuccess(Duration.ZERO);
      }
    }
    assertThat(f.names()).containsExactly("b", "c", "a", "d");

    // Ten seconds later its failures have aged out: it is tried first again, to show how it is.
    clock.advance(Duration.ofSeconds(11));
    assertThat(f.names()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void fewerThanTwentyRecentCallsOrFewerThanAQuarterFailedKeepTheConfiguredOrder() {
    Fixture f = new Fixture("ordered", "", "breaker: {window: 100000, failure_rate: 100}");
    for (int i = 0; i < 19; i++) {
      f.resilience
          .health("a")
          .acquire()
          .onFailure(
              dev.ballast.core.ErrorClass.SERVER_ERROR, Duration.ZERO, java.util.Optional.empty());
    }
    assertThat(f.names()).containsExactly("a", "b", "c", "d");

    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 25; i++) {
      var permit = f.resilience.health("a").acquire();
      if (i % 5 == 0) {
        permit.onFailure(
            dev.ballast.core.ErrorClass.SERVER_ERROR, Duration.ZERO, java.util.Optional.empty());
      } else {
        permit.onSuccess(Duration.ZERO);
      }
    }
    // One call in five failed: not yet a quarter.
    assertThat(f.names()).containsExactly("a", "b", "c", "d");
  }

  private final class Fixture {
    final BallastConfig config;
    final Resilience resilience;
    final SpreadLoad spread;

    Fixture(String strategy, String extra) {
      this(strategy, extra, "breaker: {window: 1, failure_rate: 50, open_wait: 30s}");
    }

    Fixture(String strategy, String extra, String breaker) {
      String yaml =
          """
          providers:
            fake: {type: simulator}
          deployments:
            a: {provider: fake, model: up-a}
            b: {provider: fake, model: up-b}
            c: {provider: fake, model: up-c}
            d: {provider: fake, model: up-d}
          groups:
            g: {deployments: [a, b, c], fallbacks: [f], strategy: %s, %s}
            f: {deployments: [d]}
          tenants:
            team: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}
          resilience:
            adaptive_first_token: {min_samples: 5}
            %s
          """
              .formatted(strategy, extra, breaker);
      this.config = ConfigLoader.parse("spread", yaml, Map.of());
      this.resilience = new Resilience(config, clock);
      this.spread = new SpreadLoad(resilience);
    }

    List<String> names() {
      List<Deployment> route = new ArrayList<>();
      for (String n : List.of("a", "b", "c", "d")) {
        route.add(new Deployment(config.deployments().get(n), (Provider) null));
      }
      return spread.order(config.group("g").orElseThrow(), route).stream()
          .map(Deployment::name)
          .toList();
    }
  }
}
