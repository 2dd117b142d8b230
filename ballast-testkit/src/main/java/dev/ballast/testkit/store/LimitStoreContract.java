package dev.ballast.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.limits.LimitExchange;
import dev.ballast.core.limits.LimitGrant;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.spi.LimitStore;
import dev.ballast.core.spi.Store;
import java.time.Duration;
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
 * The behaviour every {@link LimitStore} keeps: one test (or more) per invariant listed on it. A
 * backend's test extends this class and supplies a fresh store per test, and may open a second one
 * on the same storage as another node would. Time is passed explicitly.
 */
public abstract class LimitStoreContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  protected static final Duration LEASE = Duration.ofSeconds(5);

  private final List<AutoCloseable> owners = new ArrayList<>();
  private LimitStore limits;
  private LimitStore other;

  /** A limit store with nothing recorded; see {@link #limitsOf} for one that is part of a store. */
  protected abstract LimitStore newLimits();

  /**
   * A second limit store on the storage of the first, as another node opens it; the default is the
   * first one itself, for a backend that one process owns.
   */
  protected LimitStore openOtherNode() {
    return limits;
  }

  /** The limits of {@code store}, which the kit closes after the test. */
  protected LimitStore limitsOf(Store store) {
    owners.add(store);
    return store.limits();
  }

  @BeforeEach
  void open() {
    limits = newLimits();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable owner : owners) {
      owner.close();
    }
    owners.clear();
  }

  private LimitStore limits() {
    return limits;
  }

  private LimitStore otherNode() {
    if (other == null) {
      other = openOtherNode();
    }
    return other;
  }

  private static LimitExchange exchange(
      LimitKind kind,
      String node,
      long limit,
      Map<Long, Long> used,
      long keep,
      long want,
      Instant now) {
    return new LimitExchange("acme", kind, node, limit, used, keep, want, now, LEASE);
  }

  // Invariant 1: bound.
  @Test
  void grantsAtMostTheRoomTheOtherNodesLeave() {
    LimitGrant a = limits().exchange(exchange(LimitKind.REQUESTS, "a", 10, Map.of(), 0, 6, T0));
    LimitGrant b = otherNode().exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 6, T0));
    LimitGrant again =
        otherNode().exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 6, T0));

    assertThat(a.granted()).isEqualTo(6);
    assertThat(b.granted()).isEqualTo(4);
    assertThat(again.granted()).as("b's own lease is replaced, not added to").isEqualTo(4);
  }

  @Test
  void whatCallsInFlightReservedIsKeptEvenPastTheLimit() {
    LimitGrant grant =
        limits().exchange(exchange(LimitKind.SPEND, "a", 100, Map.of(0L, 150L), 20, 50, T0));

    assertThat(grant.granted()).isEqualTo(20);
    assertThat(grant.used()).isEqualTo(150);
    assertThat(
            otherNode().exchange(exchange(LimitKind.SPEND, "b", 100, Map.of(), 0, 1, T0)).granted())
        .isZero();
  }

  // Invariant 2: serialized.
  @Test
  void concurrentExchangesOnTwoNodesNeverGrantMoreThanTheLimit() throws Exception {
    int nodes = 12;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<LimitGrant>> grants = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        LimitStore on = i % 2 == 0 ? limits() : otherNode();
        String node = "n" + i;
        Callable<LimitGrant> take =
            () -> on.exchange(exchange(LimitKind.TOKENS, node, 25, Map.of(), 0, 3, T0));
        grants.add(pool.submit(take));
      }
      long granted = 0;
      for (Future<LimitGrant> grant : grants) {
        granted += grant.get().granted();
      }
      assertThat(granted).isEqualTo(25);
    } finally {
      pool.shutdownNow();
    }
  }

  // Invariant 3: reported usage stays.
  @Test
  void reportedUsageCountsInItsSecondUntilItLeavesTheMinute() {
    long t0 = T0.getEpochSecond();
    limits().exchange(exchange(LimitKind.REQUESTS, "a", 10, Map.of(t0, 4L, t0 + 1, 3L), 0, 0, T0));

    LimitGrant late =
        otherNode()
            .exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0.plusSeconds(59)));
    LimitGrant firstGone =
        otherNode()
            .exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0.plusSeconds(60)));
    LimitGrant allGone =
        otherNode()
            .exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0.plusSeconds(61)));

    assertThat(late.used()).isEqualTo(7);
    assertThat(late.granted()).isEqualTo(3);
    assertThat(late.oldestUse()).isEqualTo(T0);
    assertThat(firstGone.used()).isEqualTo(3);
    assertThat(firstGone.oldestUse()).isEqualTo(T0.plusSeconds(1));
    assertThat(allGone.used()).isZero();
    assertThat(allGone.granted()).isEqualTo(10);
    assertThat(limits().used("acme", LimitKind.REQUESTS, T0.plusSeconds(61))).isZero();
  }

  @Test
  void spendNeverLeavesAndIsCountedPerTenant() {
    limits().exchange(exchange(LimitKind.SPEND, "a", 1_000, Map.of(0L, 300L), 0, 0, T0));
    limits()
        .exchange(
            exchange(
                LimitKind.SPEND,
                "a",
                1_000,
                Map.of(0L, 200L),
                0,
                0,
                T0.plus(Duration.ofDays(400))));
    limits()
        .exchange(
            new LimitExchange(
                "other", LimitKind.SPEND, "a", 1_000, Map.of(0L, 5L), 0, 0, T0, LEASE));

    assertThat(otherNode().used("acme", LimitKind.SPEND, T0.plus(Duration.ofDays(800))))
        .isEqualTo(500);
    assertThat(otherNode().used("other", LimitKind.SPEND, T0)).isEqualTo(5);
  }

  // Invariant 4: lapsed leases.
  @Test
  void aLapsedSpendLeaseCountsAsSpent() {
    limits().exchange(exchange(LimitKind.SPEND, "dead", 100, Map.of(), 0, 40, T0));

    LimitGrant after =
        otherNode()
            .exchange(exchange(LimitKind.SPEND, "b", 100, Map.of(), 0, 100, T0.plusSeconds(6)));

    assertThat(after.used()).isEqualTo(40);
    assertThat(after.granted()).isEqualTo(60);
  }

  @Test
  void aLapsedWindowLeaseIsForgotten() {
    limits().exchange(exchange(LimitKind.REQUESTS, "dead", 10, Map.of(), 0, 8, T0));

    LimitGrant before =
        otherNode()
            .exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0.plusSeconds(4)));
    LimitGrant after =
        otherNode()
            .exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0.plusSeconds(6)));

    assertThat(before.granted()).isEqualTo(2);
    assertThat(after.used()).isZero();
    assertThat(after.granted()).isEqualTo(10);
  }

  @Test
  void aNodeGivesBackItsLeaseByAskingForNothing() {
    limits().exchange(exchange(LimitKind.REQUESTS, "a", 10, Map.of(), 0, 10, T0));
    limits()
        .exchange(exchange(LimitKind.REQUESTS, "a", 10, Map.of(T0.getEpochSecond(), 2L), 0, 0, T0));

    LimitGrant b = otherNode().exchange(exchange(LimitKind.REQUESTS, "b", 10, Map.of(), 0, 10, T0));

    assertThat(b.granted()).isEqualTo(8);
  }
}
