package dev.ballast.testkit.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.queue.FencedOffException;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueQuotaExceededException;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.queue.StageOutput;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RunQueue} keeps: one test (or more) per invariant listed on {@link
 * RunQueue}. A backend's test extends this class and supplies a fresh, empty queue per test. Time
 * is passed explicitly, so a lease expires because a test passes a later {@code now}, never because
 * it waited.
 */
public abstract class RunQueueContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  protected static final Duration LEASE = Duration.ofSeconds(30);
  private static final Set<String> ANY = Set.of();

  protected RunQueue queue;
  private RunQueue otherNode;
  private final Map<RunQueue, AutoCloseable> owners = new IdentityHashMap<>();

  /** A new queue with no runs in it; closed by the kit after each test if it is closeable. */
  protected abstract RunQueue newQueue();

  /**
   * A second queue on the storage of {@link #queue}, opened as another node would open it; closed
   * by the kit. The default is {@link #queue} itself, for a backend that only signals within its
   * own instance (SQLite: one process): its wake-up tests then signal from another thread.
   */
  protected RunQueue openOtherNode() {
    return queue;
  }

  @BeforeEach
  void openQueue() {
    queue = newQueue();
  }

  @AfterEach
  void closeQueues() throws Exception {
    if (otherNode != null && otherNode != queue) {
      close(otherNode);
    }
    // Null when newQueue() aborted the test, e.g. because its database is unavailable.
    if (queue != null) {
      close(queue);
    }
  }

  /**
   * Releases what {@link #newQueue} or {@link #openOtherNode} opened for {@code queue}; by default
   * closes it if it is closeable. A backend whose queue is one capability of a larger store closes
   * that store.
   */
  protected void close(RunQueue queue) throws Exception {
    AutoCloseable owner = owners.remove(queue);
    if (owner != null) {
      owner.close();
    } else if (queue instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** The run queue of {@code store}, which the kit closes with the queue. */
  protected RunQueue queueOf(Store store) {
    owners.put(store.runQueue(), store);
    return store.runQueue();
  }

  /** The queue of another node on the same storage, opened on first use. */
  protected RunQueue otherNode() {
    if (otherNode == null) {
      otherNode = openOtherNode();
    }
    return otherNode;
  }

  protected static NewRun run(String id) {
    return run(id, "enrich", 0, T0);
  }

  protected static NewRun run(String id, String pipeline, int priority, Instant availableAt) {
    return new NewRun(id, pipeline, "v1", "acme", priority, bytes("in-" + id), null, availableAt);
  }

  protected static NewRun keyed(String id, String tenant, String pipeline, String key) {
    return new NewRun(id, pipeline, "v1", tenant, 0, bytes("in-" + id), key, T0);
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected Lease claim(String worker, Instant now) {
    return queue.claim(worker, now, LEASE, ANY).orElseThrow();
  }

  protected RunState state(String runId) {
    return queue.find(runId).orElseThrow();
  }

  // Invariant 1: order.

  @Test
  void claimsByPriorityThenAvailabilityThenEnqueueOrder() {
    queue.enqueue(run("low", "enrich", 0, T0), T0);
    queue.enqueue(run("high-late", "enrich", 5, T0.plusSeconds(2)), T0);
    queue.enqueue(run("high-early", "enrich", 5, T0.plusSeconds(1)), T0);
    queue.enqueue(run("high-early-2", "enrich", 5, T0.plusSeconds(1)), T0);

    Instant now = T0.plusSeconds(10);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(claim("w", now).runId());
    }

    assertThat(order).containsExactly("high-early", "high-early-2", "high-late", "low");
    assertThat(queue.claim("w", now, LEASE, ANY)).isEmpty();
  }

  /**
   * Regression: a lapsed lease's {@code availableAt} is its expiry, so under a backlog the run
   * queued behind every run that became ready while it ran, and take-over took up to 2.5 times the
   * lease (docs/cluster.md, "Take-over").
   */
  @Test
  void aRunWhoseLeaseLapsedIsClaimedBeforeFreshRunsOfAnyPriority() {
    queue.enqueue(run("taken"), T0);
    Lease lapsed = claim("a", T0);
    for (int i = 0; i < 3; i++) {
      queue.enqueue(run("fresh-" + i, "enrich", 0, T0.plusSeconds(1)), T0.plusSeconds(1));
    }
    queue.enqueue(run("urgent", "enrich", 9, T0.plusSeconds(1)), T0.plusSeconds(1));
    Instant now = lapsed.leaseUntil().plusSeconds(1);

    Lease first = claim("b", now);

    assertThat(first.runId()).isEqualTo("taken");
    assertThat(first.fence()).isGreaterThan(lapsed.fence());
    assertThat(first.readyAt()).as("ready since its lease lapsed").isEqualTo(lapsed.leaseUntil());
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rest.add(claim("b", now).runId());
    }
    assertThat(rest).containsExactly("urgent", "fresh-0", "fresh-1", "fresh-2");
  }

  @Test
  void lapsedRunsAreTakenOverByPriorityThenInTheOrderTheirLeasesLapsed() {
    queue.enqueue(run("low-early", "enrich", 0, T0), T0);
    queue.enqueue(run("low-late", "enrich", 0, T0), T0);
    queue.enqueue(run("high", "enrich", 5, T0), T0);
    claim("a", T0); // high
    claim("a", T0); // low-early
    queue.claim("a", T0.plusSeconds(1), LEASE, ANY).orElseThrow(); // low-late
    Instant now = T0.plus(LEASE).plusSeconds(5);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.add(claim("b", now).runId());
    }

    assertThat(order).containsExactly("high", "low-early", "low-late");
  }

  @Test
  void claimsOnlyRunsOfThePipelinesTheWorkerRuns() {
    queue.enqueue(run("a", "alpha", 9, T0), T0);
    queue.enqueue(run("b", "beta", 0, T0), T0);

    Lease lease = queue.claim("w", T0, LEASE, Set.of("beta", "gamma")).orElseThrow();

    assertThat(lease.runId()).isEqualTo("b");
    assertThat(queue.claim("w", T0, LEASE, Set.of("beta"))).isEmpty();
  }

  @Test
  void aLeaseCarriesTheRunAndAFreshFence() {
    queue.enqueue(run("r"), T0);

    Lease lease = claim("worker-1", T0);

    assertThat(lease.workerId()).isEqualTo("worker-1");
    assertThat(lease.leaseUntil()).isEqualTo(T0.plus(LEASE));
    assertThat(lease.fence()).isPositive();
    assertThat(lease.attempts()).isEqualTo(1);
    assertThat(lease.stageIndex()).isZero();
    assertThat(lease.input()).isEqualTo(bytes("in-r"));
    assertThat(lease.completed()).isEmpty();
    assertThat(state("r").state()).isEqualTo(QueueState.RUNNING);
  }

  @Test
  void aLeaseSaysSinceWhenTheRunWaitedToBeClaimed() {
    queue.enqueue(run("r"), T0);

    Lease lease = claim("a", T0.plusSeconds(5));

    // The engine journals the difference as the first stage's queue wait.
    assertThat(lease.readyAt()).isEqualTo(T0);
  }

  // Invariant 2: exclusion.

  @Test
  void concurrentClaimersReceiveEachRunExactlyOnce() throws Exception {
    int runs = 200;
    for (int i = 0; i < runs; i++) {
      queue.enqueue(run("r" + i), T0);
    }
    Map<String, String> holders = new ConcurrentHashMap<>();
    List<String> duplicates = new ArrayList<>();
    List<Callable<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      String worker = "w" + w;
      workers.add(
          () -> {
            int claimed = 0;
            for (Optional<Lease> lease = queue.claim(worker, T0, LEASE, ANY);
                lease.isPresent();
                lease = queue.claim(worker, T0, LEASE, ANY)) {
              if (holders.putIfAbsent(lease.get().runId(), worker) != null) {
                synchronized (duplicates) {
                  duplicates.add(lease.get().runId());
                }
              }
              claimed++;
            }
            return claimed;
          });
    }

    int total = concurrently(workers).stream().mapToInt(Integer::intValue).sum();

    assertThat(duplicates).isEmpty();
    assertThat(total).isEqualTo(runs);
    assertThat(holders).hasSize(runs);
  }

  @Test
  void doesNotReclaimALeaseUntilItHasExpired() {
    queue.enqueue(run("r"), T0);
    Lease first = claim("a", T0);

    assertThat(queue.claim("b", first.leaseUntil(), LEASE, ANY)).isEmpty();
    assertThat(queue.claim("b", first.leaseUntil().plusMillis(1), LEASE, ANY)).isPresent();
  }

  @Test
  void heartbeatExtendsTheLeaseSoTheRunIsNotReclaimed() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);

    assertThat(queue.heartbeat("r", lease.fence(), T0.plusSeconds(20), LEASE)).isTrue();

    assertThat(queue.claim("b", T0.plusSeconds(40), LEASE, ANY)).isEmpty();
    assertThat(state("r").leaseUntil()).isEqualTo(T0.plusSeconds(50));
  }

  // Invariant 3: fencing.

  @Test
  void reclaimsAnExpiredLeaseWithAHigherFence() {
    queue.enqueue(run("r"), T0);
    Lease dead = claim("a", T0);

    Lease taken = claim("b", dead.leaseUntil().plusSeconds(1));

    assertThat(taken.runId()).isEqualTo("r");
    assertThat(taken.workerId()).isEqualTo("b");
    assertThat(taken.fence()).isGreaterThan(dead.fence());
    assertThat(taken.attempts()).isEqualTo(2);
    assertThat(taken.readyAt())
        .as("ready again when the lease expired")
        .isEqualTo(dead.leaseUntil());
    assertThat(state("r").leaseOwner()).isEqualTo("b");
  }

  @Test
  void aPausedWorkerCannotWriteAfterAnotherWorkerTookItsRun() {
    queue.enqueue(run("r"), T0);
    Lease paused = claim("a", T0);
    Instant later = paused.leaseUntil().plusSeconds(5);
    Lease taker = claim("b", later);
    // The paused worker's clock may still say its lease is valid: the fence refuses it anyway.
    Instant pausedClock = T0.plusSeconds(10);
    long fence = paused.fence();

    assertFencedOff(() -> queue.checkpoint("r", fence, 0, "embed", bytes("stale"), pausedClock));
    assertFencedOff(() -> queue.recordEffect("r", fence, "act", "hook-1", pausedClock));
    assertFencedOff(() -> queue.complete("r", fence, bytes("stale"), pausedClock));
    assertFencedOff(() -> queue.fail("r", fence, StageFailure.dead("embed", "boom"), pausedClock));
    assertFencedOff(() -> queue.park("r", fence, "openai", later, pausedClock));
    assertThat(queue.heartbeat("r", fence, pausedClock, LEASE)).isFalse();

    RunState run = state("r");
    assertThat(run.state()).isEqualTo(QueueState.RUNNING);
    assertThat(run.leaseOwner()).isEqualTo("b");
    assertThat(run.fence()).isEqualTo(taker.fence());
    assertThat(run.stageIndex()).isZero();
    assertThat(run.output()).isNull();
    // Nothing the paused worker tried was written: the taker's own writes find a clean slate.
    assertThat(queue.recordEffect("r", taker.fence(), "act", "hook-1", later)).isTrue();
    queue.checkpoint("r", taker.fence(), 0, "embed", bytes("fresh"), later);
    Lease next = claim("c", later.plus(LEASE).plusSeconds(1));
    assertThat(next.completed())
        .extracting(o -> new String(o.output(), UTF_8))
        .containsExactly("fresh");
  }

  @Test
  void aWorkerCannotWriteOnceItsLeaseExpiredEvenIfNobodyTookTheRun() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    Instant late = lease.leaseUntil().plusMillis(1);

    assertFencedOff(() -> queue.checkpoint("r", lease.fence(), 0, "embed", bytes("x"), late));
    assertFencedOff(() -> queue.complete("r", lease.fence(), bytes("x"), late));
    assertThat(queue.heartbeat("r", lease.fence(), late, LEASE)).isFalse();
    assertThat(state("r").stageIndex()).isZero();
  }

  @Test
  void heartbeatWithAStaleFenceFails() {
    queue.enqueue(run("r"), T0);
    Lease old = claim("a", T0);
    Lease current = claim("b", old.leaseUntil().plusSeconds(1));

    assertThat(queue.heartbeat("r", old.fence(), old.leaseUntil().plusSeconds(2), LEASE)).isFalse();
    assertThat(state("r").leaseUntil()).isEqualTo(current.leaseUntil());
  }

  @Test
  void aWorkerCannotWriteToARunItReleased() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.complete("r", lease.fence(), bytes("done"), T0.plusSeconds(1));

    assertFencedOff(() -> queue.complete("r", lease.fence(), bytes("again"), T0.plusSeconds(2)));
    assertFencedOff(() -> queue.recordEffect("r", lease.fence(), "act", "k", T0.plusSeconds(2)));
    assertThat(state("r").output()).isEqualTo(bytes("done"));
  }

  // Invariant 4: checkpoints.

  @Test
  void aReclaimedRunResumesAtTheNextStageWithEarlierOutputs() {
    queue.enqueue(run("r"), T0);
    Lease first = claim("a", T0);
    queue.checkpoint("r", first.fence(), 0, "embed", bytes("vectors"), T0.plusSeconds(1));
    queue.checkpoint("r", first.fence(), 1, "retrieve", bytes("chunks"), T0.plusSeconds(2));

    Lease resumed = claim("b", first.leaseUntil().plusSeconds(1));

    assertThat(resumed.stageIndex()).isEqualTo(2);
    assertThat(resumed.attempts()).isEqualTo(2);
    assertThat(resumed.completed())
        .extracting(StageOutput::stageIndex, StageOutput::stage, o -> new String(o.output(), UTF_8))
        .containsExactly(tuple(0, "embed", "vectors"), tuple(1, "retrieve", "chunks"));
  }

  @Test
  void refusesACheckpointOfAStageTheRunIsNotAt() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.checkpoint("r", lease.fence(), 0, "embed", bytes("v"), T0);

    assertThatThrownBy(() -> queue.checkpoint("r", lease.fence(), 0, "embed", bytes("w"), T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is at stage 1");
    assertThat(state("r").stageIndex()).isEqualTo(1);
  }

  @Test
  void completesWithTheFinalOutputAndReleasesTheLease() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);

    queue.complete("r", lease.fence(), bytes("answer"), T0.plusSeconds(1));

    RunState run = state("r");
    assertThat(run.state()).isEqualTo(QueueState.SUCCEEDED);
    assertThat(run.output()).isEqualTo(bytes("answer"));
    assertThat(run.leaseOwner()).isNull();
    assertThat(queue.claim("b", T0.plus(Duration.ofDays(1)), LEASE, ANY)).isEmpty();
  }

  // Invariant 5: idempotent submission.

  @Test
  void oneHundredConcurrentEnqueuesWithOneIdempotencyKeyMakeOneRun() throws Exception {
    List<Callable<QueuedRun>> submissions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = "r" + i;
      submissions.add(() -> queue.enqueue(keyed(id, "acme", "enrich", "order-42"), T0));
    }

    List<QueuedRun> results = concurrently(submissions);

    assertThat(results)
        .extracting(r -> r.run().runId())
        .containsOnly(results.getFirst().run().runId());
    assertThat(results).filteredOn(QueuedRun::created).hasSize(1);
    assertThat(queue.list(RunFilter.all(1000))).hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyInAnotherTenantOrPipelineIsAnotherRun() {
    QueuedRun first = queue.enqueue(keyed("r1", "acme", "enrich", "k"), T0);
    QueuedRun again = queue.enqueue(keyed("r2", "acme", "enrich", "k"), T0);
    QueuedRun otherTenant = queue.enqueue(keyed("r3", "globex", "enrich", "k"), T0);
    QueuedRun otherPipeline = queue.enqueue(keyed("r4", "acme", "summarize", "k"), T0);

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.run().runId()).isEqualTo("r1");
    assertThat(otherTenant.created()).isTrue();
    assertThat(otherPipeline.created()).isTrue();
  }

  @Test
  void enqueueingTheSameRunIdTwiceReturnsTheFirstRun() {
    queue.enqueue(run("r"), T0);
    QueuedRun again = queue.enqueue(run("r", "enrich", 7, T0), T0);

    assertThat(again.created()).isFalse();
    assertThat(again.run().priority()).isZero();
  }

  // Invariant 6: effects ledger.

  @Test
  void recordsAnEffectOnceAcrossHolders() {
    queue.enqueue(run("r"), T0);
    Lease first = claim("a", T0);

    assertThat(queue.recordEffect("r", first.fence(), "act", "hook-1", T0)).isTrue();
    assertThat(queue.recordEffect("r", first.fence(), "act", "hook-1", T0)).isFalse();
    assertThat(queue.recordEffect("r", first.fence(), "act", "hook-2", T0)).isTrue();
    assertThat(queue.recordEffect("r", first.fence(), "remember", "hook-1", T0)).isTrue();

    Lease second = claim("b", first.leaseUntil().plusSeconds(1));
    Instant now = first.leaseUntil().plusSeconds(2);
    assertThat(queue.recordEffect("r", second.fence(), "act", "hook-1", now)).isFalse();
  }

  // Invariant 7: waiting.

  @Test
  void aRunIsNotClaimableBeforeItIsAvailable() {
    queue.enqueue(run("later", "enrich", 9, T0.plusSeconds(60)), T0);

    assertThat(queue.claim("w", T0.plusSeconds(59), LEASE, ANY)).isEmpty();
    assertThat(claim("w", T0.plusSeconds(60)).runId()).isEqualTo("later");
  }

  @Test
  void aRetriedRunWaitsUntilItsRetryInstant() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    Instant retryAt = T0.plusSeconds(30);

    queue.fail("r", lease.fence(), StageFailure.retryAt("generate", "503", retryAt), T0);

    RunState run = state("r");
    assertThat(run.state()).isEqualTo(QueueState.WAITING);
    assertThat(run.failedStage()).isEqualTo("generate");
    assertThat(run.error()).isEqualTo("503");
    assertThat(queue.claim("b", retryAt.minusMillis(1), LEASE, ANY)).isEmpty();
    Lease retried = claim("b", retryAt.plusSeconds(2));
    assertThat(retried.attempts()).isEqualTo(2);
    assertThat(retried.readyAt()).isEqualTo(retryAt);
  }

  @Test
  void aParkedRunKeepsItsAttemptAndWakesWithItsDependency() {
    queue.enqueue(run("r"), T0);
    queue.enqueue(run("other"), T0.plusSeconds(1));
    Lease lease = claim("a", T0);

    queue.park("r", lease.fence(), "openai", T0.plusSeconds(300), T0);

    assertThat(state("r").state()).isEqualTo(QueueState.WAITING);
    assertThat(state("r").waitingOn()).isEqualTo("openai");
    assertThat(claim("b", T0.plusSeconds(10)).runId()).isEqualTo("other");
    assertThat(queue.claim("b", T0.plusSeconds(10), LEASE, ANY)).isEmpty();
    assertThat(queue.wake("anthropic", T0.plusSeconds(20))).isZero();
    assertThat(queue.wake("openai", T0.plusSeconds(20))).isEqualTo(1);
    Lease woken = claim("b", T0.plusSeconds(20));
    assertThat(woken.runId()).isEqualTo("r");
    assertThat(woken.attempts()).isEqualTo(1);
  }

  // Invariant 8: dead letters.

  @Test
  void aDeadRunIsClaimableOnlyAfterResumeAndThenAtItsFailedStage() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.checkpoint("r", lease.fence(), 0, "embed", bytes("vectors"), T0);
    queue.fail("r", lease.fence(), StageFailure.dead("generate", "exhausted"), T0);

    assertThat(state("r").state()).isEqualTo(QueueState.DEAD);
    assertThat(state("r").failedStage()).isEqualTo("generate");
    assertThat(queue.claim("b", T0.plus(Duration.ofDays(1)), LEASE, ANY)).isEmpty();

    assertThat(queue.resume("r", T0.plusSeconds(100))).isTrue();

    Lease resumed = claim("b", T0.plusSeconds(100));
    assertThat(resumed.stageIndex()).isEqualTo(1);
    assertThat(resumed.attempts()).isEqualTo(1);
    assertThat(resumed.completed()).extracting(StageOutput::stage).containsExactly("embed");
  }

  @Test
  void aFailedRunIsFinal() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.fail("r", lease.fence(), StageFailure.failed("validate", "schema mismatch"), T0);

    assertThat(state("r").state()).isEqualTo(QueueState.FAILED);
    assertThat(queue.resume("r", T0)).isFalse();
    assertThat(queue.claim("b", T0.plus(Duration.ofDays(1)), LEASE, ANY)).isEmpty();
  }

  // Invariant 9: limits.

  @Test
  void aLimitedPipelineIsSkippedWhileItsHeldRunsAcrossNodesReachTheLimit() {
    queue.enqueue(run("a1", "alpha", 5, T0), T0);
    queue.enqueue(run("a2", "alpha", 5, T0), T0);
    queue.enqueue(run("a3", "alpha", 5, T0), T0);
    queue.enqueue(run("b1", "beta", 0, T0), T0);
    Map<String, Integer> limits = Map.of("alpha", 2);

    Lease first = queue.claim("n1", T0, LEASE, ANY, limits).orElseThrow();
    Lease second = otherNode().claim("n2", T0, LEASE, ANY, limits).orElseThrow();
    // a3 comes first in claim order, but alpha holds its limit: two runs, on two nodes.
    Lease third = queue.claim("n1", T0, LEASE, Set.of("alpha", "beta"), limits).orElseThrow();

    assertThat(List.of(first.runId(), second.runId())).containsExactly("a1", "a2");
    assertThat(third.runId()).isEqualTo("b1");
    assertThat(queue.claim("n1", T0, LEASE, ANY, limits)).isEmpty();
    assertThat(otherNode().claim("n2", T0, LEASE, Set.of("alpha"), limits)).isEmpty();
    assertThat(queue.claim("n1", T0, LEASE, ANY, Map.of("alpha", 3)).orElseThrow().runId())
        .as("a higher limit leaves room")
        .isEqualTo("a3");
  }

  @Test
  void aRunLeavingItsLeaseFreesItsPlaceUnderTheLimit() {
    queue.enqueue(run("a1", "alpha", 0, T0), T0);
    queue.enqueue(run("a2", "alpha", 0, T0), T0);
    queue.enqueue(run("a3", "alpha", 0, T0), T0);
    Map<String, Integer> limits = Map.of("alpha", 1);
    Lease held = queue.claim("n1", T0, LEASE, ANY, limits).orElseThrow();
    assertThat(otherNode().claim("n2", T0, LEASE, ANY, limits)).isEmpty();

    queue.complete(held.runId(), held.fence(), bytes("out"), T0);
    Lease next = otherNode().claim("n2", T0, LEASE, ANY, limits).orElseThrow();

    assertThat(next.runId()).isEqualTo("a2");
    // An expired lease no longer counts: its worker is presumed dead. a2, whose lease lapsed, is
    // taken over first (invariant 1) and takes the place again; a3 then waits.
    Instant expired = next.leaseUntil().plusMillis(1);
    Lease taken = queue.claim("n1", expired, LEASE, ANY, limits).orElseThrow();
    assertThat(taken.runId()).isEqualTo("a2");
    assertThat(taken.fence()).isGreaterThan(next.fence());
    assertThat(queue.claim("n1", expired, LEASE, ANY, limits)).isEmpty();
    assertThat(state("a3").state()).isEqualTo(QueueState.QUEUED);
  }

  @Test
  void concurrentClaimersOnTwoNodesNeverTakeMoreRunsThanTheLimit() throws Exception {
    int limit = 3;
    for (int i = 0; i < 40; i++) {
      queue.enqueue(run("r" + i, "alpha", 0, T0), T0);
    }
    Map<String, Integer> limits = Map.of("alpha", limit);
    RunQueue other = otherNode();
    List<Callable<Integer>> claimers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      RunQueue node = w % 2 == 0 ? queue : other;
      String worker = "w" + w;
      claimers.add(
          () -> {
            int claimed = 0;
            for (int attempt = 0; attempt < 20; attempt++) {
              if (node.claim(worker, T0, LEASE, ANY, limits).isPresent()) {
                claimed++;
              }
            }
            return claimed;
          });
    }

    int total = concurrently(claimers).stream().mapToInt(Integer::intValue).sum();

    // Nobody completes, so exactly the limit's worth of claims may ever succeed.
    assertThat(total).isEqualTo(limit);
    assertThat(queue.stats(T0).depth(QueueState.RUNNING)).isEqualTo(limit);
  }

  // Invariant 10: quota.

  @Test
  void aTenantAtItsQuotaOfPendingRunsIsRefusedUntilOneStarts() {
    queue.enqueue(run("q1"), T0, 2);
    queue.enqueue(keyed("q2", "acme", "enrich", "k2"), T0, 2);

    assertThatThrownBy(() -> queue.enqueue(run("q3"), T0, 2))
        .isInstanceOf(QueueQuotaExceededException.class)
        .hasMessageContaining("max_queued_runs");
    assertThat(queue.find("q3")).isEmpty();
    assertThat(queue.enqueue(keyed("q2-again", "acme", "enrich", "k2"), T0, 2).run().runId())
        .as("a resubmission its key already names is answered whatever the count")
        .isEqualTo("q2");
    assertThat(queue.enqueue(keyed("o1", "other", "enrich", null), T0, 2).created())
        .as("another tenant's quota is its own")
        .isTrue();

    queue.claim("w", T0, LEASE, ANY).orElseThrow();
    assertThat(queue.enqueue(run("q3"), T0, 2).created()).isTrue();
  }

  @Test
  void concurrentSubmissionsOnTwoNodesNeverPassTheQuota() throws Exception {
    int quota = 5;
    RunQueue other = otherNode();
    List<Callable<Integer>> submitters = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      RunQueue node = w % 2 == 0 ? queue : other;
      String prefix = "s" + w + "-";
      submitters.add(
          () -> {
            int created = 0;
            for (int i = 0; i < 5; i++) {
              try {
                if (node.enqueue(run(prefix + i), T0, quota).created()) {
                  created++;
                }
              } catch (QueueQuotaExceededException full) {
                // Expected once the quota is reached.
              }
            }
            return created;
          });
    }

    int total = concurrently(submitters).stream().mapToInt(Integer::intValue).sum();

    assertThat(total).isEqualTo(quota);
    assertThat(queue.stats(T0).depth(QueueState.QUEUED)).isEqualTo(quota);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> queue.claim("w", T0, LEASE, ANY, Map.of("alpha", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alpha");
  }

  // The transition table, exercised through the queue.

  @Test
  void everyTransitionOfTheTableIsReachableThroughTheQueue() {
    Set<Map.Entry<QueueState, QueueState>> seen = new HashSet<>();
    queue.enqueue(run("r"), T0);
    Lease l1 = observe(seen, "r", () -> claim("a", T0));
    Lease l2 = observe(seen, "r", () -> claim("b", l1.leaseUntil().plusSeconds(1)));
    Instant t = l2.leaseUntil();
    observe(seen, "r", () -> fail(l2, StageFailure.retryAt("s", "e", t), t));
    Lease l3 = observe(seen, "r", () -> claim("a", t));
    observe(seen, "r", () -> fail(l3, StageFailure.dead("s", "e"), t));
    observe(seen, "r", () -> queue.resume("r", t));
    Lease l4 = observe(seen, "r", () -> claim("a", t));
    observe(seen, "r", () -> complete(l4, t));
    queue.enqueue(run("f"), t);
    Lease l5 = observe(seen, "f", () -> claim("a", t));
    observe(seen, "f", () -> fail(l5, StageFailure.failed("s", "e"), t));

    assertThat(seen).containsExactlyInAnyOrderElementsOf(QueueState.transitions());
  }

  @Test
  void transitionsOutsideTheTableAreRefused() {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.complete("r", lease.fence(), bytes("done"), T0);

    assertThat(QueueState.SUCCEEDED.canMoveTo(QueueState.QUEUED)).isFalse();
    assertThat(queue.resume("r", T0)).isFalse();
    assertFencedOff(() -> queue.fail("r", lease.fence(), StageFailure.dead("s", "e"), T0));
    assertThat(queue.claim("b", T0.plus(Duration.ofDays(1)), LEASE, ANY)).isEmpty();
    assertThat(state("r").state()).isEqualTo(QueueState.SUCCEEDED);
  }

  // Group commit: writes that share a transaction keep their own outcomes.

  @Test
  void concurrentWritesWithStaleFencesAreRefusedAloneWhileTheirNeighboursCommit() throws Exception {
    int runs = 24;
    Map<String, Lease> stale = new HashMap<>();
    Map<String, Lease> current = new HashMap<>();
    for (int i = 0; i < runs; i++) {
      queue.enqueue(run("r" + i), T0);
    }
    for (int i = 0; i < runs; i++) {
      Lease lease = claim("old-" + i, T0);
      stale.put(lease.runId(), lease);
    }
    Instant taken = T0.plus(LEASE).plusSeconds(1);
    for (int i = 0; i < runs; i++) {
      Lease lease = claim("new-" + i, taken);
      current.put(lease.runId(), lease);
    }
    // The stale holders' clocks still say their leases are valid: only the fences refuse them.
    Instant staleClock = T0.plusSeconds(5);
    Instant now = taken.plusSeconds(1);
    List<Callable<String>> staleWrites = new ArrayList<>();
    List<Callable<String>> currentWrites = new ArrayList<>();
    for (String r : current.keySet()) {
      long old = stale.get(r).fence();
      long fence = current.get(r).fence();
      staleWrites.add(
          () -> outcome(() -> queue.checkpoint(r, old, 0, "s0", bytes("stale"), staleClock)));
      staleWrites.add(() -> outcome(() -> queue.complete(r, old, bytes("stale"), staleClock)));
      staleWrites.add(
          () -> effectOutcome(() -> queue.recordEffect(r, old, "s0", "stale", staleClock)));
      staleWrites.add(
          () -> queue.heartbeat(r, old, staleClock, Duration.ofDays(1)) ? "written" : "refused");
      currentWrites.add(
          () -> {
            queue.checkpoint(r, fence, 0, "s0", bytes("fresh-0-" + r), now);
            queue.checkpoint(r, fence, 1, "s1", bytes("fresh-1-" + r), now);
            return queue.recordEffect(r, fence, "s2", "hook", now) ? "written" : "duplicate";
          });
      currentWrites.add(() -> queue.heartbeat(r, fence, now, LEASE) ? "written" : "refused");
    }
    List<Callable<String>> all = new ArrayList<>(staleWrites);
    all.addAll(currentWrites);
    Collections.shuffle(all, new Random(42));

    Map<Callable<String>, String> outcomes = new HashMap<>();
    List<String> results = concurrently(all);
    for (int i = 0; i < all.size(); i++) {
      outcomes.put(all.get(i), results.get(i));
    }

    assertThat(staleWrites).extracting(outcomes::get).containsOnly("refused");
    assertThat(currentWrites).extracting(outcomes::get).containsOnly("written");
    Instant audit = now.plus(LEASE).plusSeconds(1);
    for (String r : current.keySet()) {
      RunState run = state(r);
      assertThat(run.state()).isEqualTo(QueueState.RUNNING);
      assertThat(run.fence()).isEqualTo(current.get(r).fence());
      assertThat(run.stageIndex()).isEqualTo(2);
      assertThat(run.output()).isNull();
    }
    for (int i = 0; i < runs; i++) {
      Lease auditor = claim("auditor", audit);
      String r = auditor.runId();
      assertThat(auditor.completed())
          .extracting(o -> new String(o.output(), UTF_8))
          .containsExactly("fresh-0-" + r, "fresh-1-" + r);
      assertThat(queue.recordEffect(r, auditor.fence(), "s2", "hook", audit)).isFalse();
      assertThat(queue.recordEffect(r, auditor.fence(), "s0", "stale", audit)).isTrue();
    }
  }

  // Wake-ups: awaitWork.

  @Test
  void aWaiterWakesPromptlyWhenAnotherNodeEnqueuesARun() throws Exception {
    assertWokenBy(() -> otherNode().enqueue(run("r"), T0));
  }

  @Test
  void aWaiterWakesPromptlyWhenParkedRunsAreWoken() throws Exception {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.park("r", lease.fence(), "openai", T0.plusSeconds(300), T0);

    assertWokenBy(() -> otherNode().wake("openai", T0.plusSeconds(1)));
  }

  @Test
  void aWaiterWakesPromptlyWhenADeadRunIsResumed() throws Exception {
    queue.enqueue(run("r"), T0);
    Lease lease = claim("a", T0);
    queue.fail("r", lease.fence(), StageFailure.dead("s", "exhausted"), T0);

    assertWokenBy(() -> otherNode().resume("r", T0.plusSeconds(1)));
  }

  @Test
  void aWaiterWakesPromptlyWhenARunIsReleasedForAnImmediateRetry() throws Exception {
    queue.enqueue(run("r"), T0);
    Lease lease = otherNode().claim("a", T0, LEASE, ANY).orElseThrow();
    Instant now = T0.plusSeconds(1);

    assertWokenBy(
        () -> otherNode().fail("r", lease.fence(), StageFailure.retryAt("s", "503", now), now));
  }

  @Test
  void aWaiterWakesPromptlyWhenAnotherNodeSignalsWork() throws Exception {
    // What a node does after a run of a limited pipeline left its lease: a place is free.
    assertWokenBy(() -> otherNode().signalWork());
  }

  @Test
  void awaitWorkWithoutASignalWaitsForMaxWait() throws Exception {
    long start = System.nanoTime();
    queue.awaitWork(Duration.ofMillis(200));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void writesAfterWhichNothingIsClaimableYetDoNotWakeWaiters() throws Exception {
    // A waiter woken for a run it cannot claim yet would claim nothing and wait again.
    queue.enqueue(run("retried"), T0);
    queue.enqueue(run("parked"), T0);
    queue.enqueue(run("done"), T0);
    Lease retried = claim("a", T0);
    Lease parked = claim("a", T0);
    Lease done = claim("a", T0);
    Duration maxWait = Duration.ofMillis(400);

    Duration waited =
        waitWhile(
            maxWait,
            () -> {
              RunQueue other = otherNode();
              other.enqueue(run("later", "enrich", 0, T0.plusSeconds(60)), T0);
              other.fail(
                  "retried",
                  retried.fence(),
                  StageFailure.retryAt("s", "503", T0.plusSeconds(60)),
                  T0);
              other.park("parked", parked.fence(), "openai", T0.plusSeconds(60), T0);
              other.complete("done", done.fence(), bytes("out"), T0);
            });

    assertThat(waited).isGreaterThanOrEqualTo(maxWait.minusMillis(50));
  }

  /** A waiter blocked in {@code awaitWork(10 s)} returns within 2 s of {@code signal}. */
  private void assertWokenBy(Runnable signal) throws Exception {
    AtomicLong signalledAt = new AtomicLong();
    Duration waited =
        waitWhile(
            Duration.ofSeconds(10),
            () -> {
              signalledAt.set(System.nanoTime());
              signal.run();
            });
    assertThat(waited).isLessThan(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - signalledAt.get()))
        .isLessThan(Duration.ofSeconds(2));
  }

  /**
   * Runs {@code writes} on this thread while another thread is blocked in {@code
   * awaitWork(maxWait)}, and returns how long that thread waited in all.
   */
  private Duration waitWhile(Duration maxWait, Runnable writes) throws Exception {
    otherNode();
    AtomicLong returnedAt = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    queue.awaitWork(maxWait);
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                  returnedAt.set(System.nanoTime());
                });
    // A waiter parked with a timeout has begun waiting; a signal from now on must reach it.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING || !waiter.isAlive());
    writes.run();
    waiter.join(maxWait.plusSeconds(5));
    assertThat(waiter.isAlive()).as("the waiter returned").isFalse();
    assertThat(failure.get()).isNull();
    return Duration.ofNanos(returnedAt.get() - start);
  }

  private static String outcome(Runnable write) {
    try {
      write.run();
      return "written";
    } catch (FencedOffException e) {
      return "refused";
    }
  }

  private static String effectOutcome(Supplier<Boolean> write) {
    try {
      return write.get() ? "written" : "duplicate";
    } catch (FencedOffException e) {
      return "refused";
    }
  }

  // Reads.

  @Test
  void statsCountRunsPerStateTheOldestReadyRunAndExpiredLeases() {
    queue.enqueue(run("a", "enrich", 0, T0), T0);
    queue.enqueue(run("b", "enrich", 0, T0.plusSeconds(10)), T0);
    queue.enqueue(run("c", "enrich", 0, T0.plusSeconds(500)), T0);
    queue.enqueue(run("d", "enrich", 9, T0), T0);
    claim("w", T0);

    QueueStats stats = queue.stats(T0.plusSeconds(40));

    assertThat(stats.depth(QueueState.QUEUED)).isEqualTo(3);
    assertThat(stats.depth(QueueState.RUNNING)).isEqualTo(1);
    assertThat(stats.depth(QueueState.DEAD)).isZero();
    assertThat(stats.oldestReadyAge()).isEqualTo(Duration.ofSeconds(40));
    assertThat(stats.expiredLeases()).isEqualTo(1);
    assertThat(queue.stats(T0.minusSeconds(1)).oldestReadyAge()).isZero();
  }

  @Test
  void listsRunsNewestFirstFilteredByStateAndPipeline() {
    queue.enqueue(run("a", "alpha", 0, T0), T0);
    queue.enqueue(run("b", "beta", 0, T0), T0);
    queue.enqueue(run("c", "alpha", 0, T0), T0);
    queue.claim("w", T0, LEASE, Set.of("beta"));

    assertThat(queue.list(RunFilter.all(10)))
        .extracting(RunState::runId)
        .containsExactly("c", "b", "a");
    assertThat(queue.list(RunFilter.inState(QueueState.QUEUED, 10)))
        .extracting(RunState::runId)
        .containsExactly("c", "a");
    assertThat(queue.list(new RunFilter(Set.of(), "alpha", "acme", 1)))
        .extracting(RunState::runId)
        .containsExactly("c");
    assertThat(queue.find("missing")).isEmpty();
  }

  private Void fail(Lease lease, StageFailure failure, Instant now) {
    queue.fail(lease.runId(), lease.fence(), failure, now);
    return null;
  }

  private Void complete(Lease lease, Instant now) {
    queue.complete(lease.runId(), lease.fence(), bytes("done"), now);
    return null;
  }

  private <T> T observe(Set<Map.Entry<QueueState, QueueState>> seen, String runId, Supplier<T> op) {
    QueueState before = state(runId).state();
    T result = op.get();
    seen.add(Map.entry(before, state(runId).state()));
    return result;
  }

  private static void assertFencedOff(Runnable write) {
    assertThatThrownBy(write::run).isInstanceOf(FencedOffException.class);
  }

  /** Runs the tasks at once, released together by a latch, and returns their results in order. */
  private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(tasks.size(), 32));
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
