package dev.ballast.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.RetryPolicy;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.resilience.BreakerConfig;
import dev.ballast.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's behaviour on a real store: each backend runs it. Timings are generous bounds on
 * waits for asynchronous work (awaitility), never measurements.
 */
abstract class PipelineEngineContract {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final WorkersConfig FAST =
      new WorkersConfig(4, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(100));
  static final RetryPolicy QUICK_RETRY =
      new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 2);

  protected Store store;
  protected JournalWriter journal;
  private final List<PipelineEngine> engines = new ArrayList<>();

  protected abstract Store newStore();

  @TempDir Path spool;

  @BeforeEach
  void openStore() {
    store = newStore();
    journal = JournalWriter.start(store.journal(), JournalWriterConfig.defaults(spool));
  }

  @AfterEach
  void closeAll() throws Exception {
    engines.forEach(e -> e.stop(Duration.ofMillis(200)));
    journal.close();
    store.close();
    afterStoreClosed();
  }

  /** Drops what the store left behind, after everything using it has stopped. */
  protected void afterStoreClosed() throws Exception {}

  RunQueue queue() {
    return store.runQueue();
  }

  PipelineEngine engine(String node, WorkersConfig workers, Pipeline... pipelines) {
    return engine(node, workers, Clock.systemUTC(), pipelines);
  }

  PipelineEngine engine(String node, WorkersConfig workers, Clock clock, Pipeline... pipelines) {
    PipelineEngine engine =
        PipelineEngine.start(
            EngineSettings.of(node, queue(), List.of(pipelines), workers)
                .withJournal(journal)
                .withClock(clock)
                .withDependencyBreaker(
                    BreakerConfig.builder()
                        .window(BreakerConfig.WindowType.COUNT_BASED, 4, 4)
                        .failureRateThreshold(50)
                        .waitInOpenState(Duration.ofMillis(500))
                        .halfOpenProbes(1)
                        .build()));
    engines.add(engine);
    return engine;
  }

  static ObjectNode input(String key, Object value) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.set(key, dev.ballast.core.Json.mapper().valueToTree(value));
    return n;
  }

  RunState awaitState(PipelineEngine engine, String runId, QueueState state) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> engine.find(runId).orElseThrow().state() == state);
    return engine.find(runId).orElseThrow();
  }

  List<JournalEvent> events(String runId) {
    journal.flush(Duration.ofSeconds(5));
    return store.journal().events(runId).stream().map(JournalEntry::event).toList();
  }

  /**
   * Take-over under a backlog (docs/cluster.md, "Take-over"): a run whose worker died is claimed by
   * the first claim after its lease lapses, not after every run that became ready while it ran.
   * Before take-over came first, it was the last of the backlog to start.
   */
  @Test
  void aRunWhoseWorkerDiedIsTakenOverAheadOfTheBacklog() {
    Pipeline work =
        Pipeline.named("work")
            .stage(
                "step",
                ctx -> {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return input("ok", true);
                })
            .build();
    PipelineEngine submitter =
        PipelineEngine.start(
            EngineSettings.of("submitter", queue(), List.of(work), FAST)
                .withJournal(journal)
                .withRunWorkers(false));
    engines.add(submitter);
    String orphan =
        submitter.submit(new SubmitRequest("work", "t", input("n", 0), null, null)).run().runId();
    Duration lease = Duration.ofSeconds(1);
    Instant lapses =
        queue()
            .claim("a-worker-that-dies", Instant.now(), lease, Set.of())
            .orElseThrow()
            .leaseUntil();
    List<String> backlog = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      backlog.add(
          submitter
              .submit(new SubmitRequest("work", "t", input("n", i), null, null))
              .run()
              .runId());
    }

    PipelineEngine worker =
        engine(
            "survivor",
            new WorkersConfig(
                1, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(100)),
            work);
    awaitState(worker, orphan, QueueState.SUCCEEDED);
    for (String run : backlog) {
      awaitState(worker, run, QueueState.SUCCEEDED);
    }

    Instant takenOver = firstStageStart(orphan);
    long startedAfter = backlog.stream().filter(r -> firstStageStart(r).isAfter(takenOver)).count();
    System.out.printf(
        "take-over %d ms after the lease lapsed, %d of %d backlog runs started after it%n",
        Duration.between(lapses, takenOver).toMillis(), startedAfter, backlog.size());
    assertThat(takenOver).isAfterOrEqualTo(lapses);
    assertThat(startedAfter).as("backlog runs that started after the take-over").isGreaterThan(10);
  }

  private Instant firstStageStart(String runId) {
    journal.flush(Duration.ofSeconds(5));
    return store.journal().events(runId).stream()
        .filter(e -> e.event() instanceof JournalEvent.StageStarted)
        .map(JournalEntry::at)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRunPassesEachStagesOutputToTheNextAndSucceeds() {
    Pipeline p =
        Pipeline.named("three")
            .stage("double", ctx -> input("n", ctx.input().get("n").asInt() * 2))
            .stage("add", ctx -> input("n", ctx.outputs().get("double").get("n").asInt() + 1))
            .stage(
                "shape",
                "transform",
                (ObjectNode)
                    JsonNodeFactory.instance
                        .objectNode()
                        .set("output", input("answer", "{{stages.add.n}}")))
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    Submission s = engine.submit(new SubmitRequest("three", "t", input("n", 20), null, null));
    assertThat(s.created()).isTrue();
    RunState done = awaitState(engine, s.run().runId(), QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(done.output()).get("answer").asInt()).isEqualTo(41);
    assertThat(done.pipelineVersion()).isEqualTo(p.definition().version());
    List<JournalEvent> events = events(s.run().runId());
    assertThat(events.get(0)).isInstanceOf(JournalEvent.RunStarted.class);
    assertThat(events.stream().filter(e -> e instanceof JournalEvent.StageCompleted).count())
        .isEqualTo(3);
    assertThat(events.getLast()).isInstanceOf(JournalEvent.RunCompleted.class);
  }

  @Test
  void aRunReturnsTheLastStageThatIsNotAnEffectOrACheckByDefault() {
    Pipeline p =
        Pipeline.named("answer-then-record")
            .stage("answer", ctx -> input("text", "forty-two"))
            .stage(
                "check",
                "validate",
                (ObjectNode) input("of", "answer").set("schema", input("type", "object")))
            .stage("record", ctx -> input("receipt", "written"))
            .effectful()
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine
            .submit(new SubmitRequest("answer-then-record", "t", input("n", 1), null, null))
            .run()
            .runId();
    RunState done = awaitState(engine, runId, QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(done.output())).isEqualTo(input("text", "forty-two"));
  }

  @Test
  void aRunReturnsItsDeclaredOutput() {
    Pipeline p =
        Pipeline.named("declared")
            .output(input("said", "{{stages.answer.text}} to {{input.who}}"))
            .stage("answer", ctx -> input("text", "hello"))
            .stage("record", ctx -> input("receipt", "written"))
            .effectful()
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine
            .submit(new SubmitRequest("declared", "t", input("who", "ada"), null, null))
            .run()
            .runId();
    RunState done = awaitState(engine, runId, QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(done.output())).isEqualTo(input("said", "hello to ada"));
  }

  @Test
  void aDeclaredOutputThatRefersToSomethingAbsentFailsTheRunNamingIt() {
    Pipeline p =
        Pipeline.named("absent")
            .output(input("said", "{{stages.answer.nope}}"))
            .stage("answer", ctx -> input("text", "hello"))
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine.submit(new SubmitRequest("absent", "t", input("n", 1), null, null)).run().runId();
    awaitState(engine, runId, QueueState.FAILED);
    assertThat(events(runId))
        .anyMatch(
            e ->
                e instanceof JournalEvent.StageFailed f
                    && f.toString().contains("stages.answer.nope"));
  }

  @Test
  void aRunThatWaitedForAWorkerJournalsTheWaitOnTheFirstStageOfItsLease() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Pipeline p =
        Pipeline.named("held")
            .stage(
                "hold",
                ctx -> {
                  entered.countDown();
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return input("ok", true);
                })
            .stage("after", ctx -> input("ok", true))
            .build();
    WorkersConfig oneSlot =
        new WorkersConfig(1, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(20));
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));
    PipelineEngine engine = engine("n1", oneSlot, clock, p);
    engine.submit(new SubmitRequest("held", "t", input("n", 1), null, null));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    String second =
        engine.submit(new SubmitRequest("held", "t", input("n", 2), null, null)).run().runId();

    // The second run waits for the only slot, held by the first, for two seconds of its clock.
    clock.advance(Duration.ofSeconds(2));
    release.countDown();
    awaitState(engine, second, QueueState.SUCCEEDED);

    List<JournalEvent.StageStarted> started =
        events(second).stream()
            .filter(JournalEvent.StageStarted.class::isInstance)
            .map(JournalEvent.StageStarted.class::cast)
            .toList();
    assertThat(started.get(0).queueWaitMs()).isEqualTo(2000.0);
    assertThat(started.get(1).queueWaitMs()).as("the lease's later stages do not wait").isZero();
  }

  @Test
  void aFailingStageIsRetriedThenDeadThenResumedAtThatStageWithoutRerunningEarlierOnes() {
    AtomicInteger firstCalls = new AtomicInteger();
    AtomicInteger flakyCalls = new AtomicInteger();
    AtomicBoolean healthy = new AtomicBoolean(false);
    Pipeline p =
        Pipeline.named("flaky")
            .stage("first", ctx -> input("calls", firstCalls.incrementAndGet()))
            .stage(
                "second",
                ctx -> {
                  flakyCalls.incrementAndGet();
                  if (!healthy.get()) {
                    throw new StageException("upstream_down", "the upstream is down", true);
                  }
                  return input("ok", true);
                })
            .retry(QUICK_RETRY)
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine.submit(new SubmitRequest("flaky", "t", input("x", 1), null, null)).run().runId();
    RunState dead = awaitState(engine, runId, QueueState.DEAD);
    assertThat(dead.failedStage()).isEqualTo("second");
    assertThat(dead.error()).contains("the upstream is down");
    assertThat(flakyCalls.get()).isEqualTo(3);
    assertThat(firstCalls.get()).isEqualTo(1);

    healthy.set(true);
    assertThat(engine.resume(runId)).isTrue();
    RunState done = awaitState(engine, runId, QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(done.output()).get("ok").asBoolean()).isTrue();
    assertThat(firstCalls.get()).as("a checkpointed stage never runs again").isEqualTo(1);
    assertThat(flakyCalls.get()).isEqualTo(4);
    List<JournalEvent> events = events(runId);
    assertThat(events)
        .anyMatch(e -> e instanceof JournalEvent.RunDead d && d.stage().equals("second"));
    assertThat(events.getLast()).isInstanceOf(JournalEvent.RunCompleted.class);
    // The operator's resume is in the journal, between the dead lease and the next one.
    int deadAt = indexOf(events, JournalEvent.RunDead.class);
    int resumed = indexOf(events, JournalEvent.RunResumed.class);
    assertThat(resumed).isEqualTo(deadAt + 1);
    assertThat(events.get(resumed)).isEqualTo(new JournalEvent.RunResumed("second", 1));
    assertThat(events.get(resumed + 1)).isInstanceOf(JournalEvent.StageStarted.class);
  }

  private static int indexOf(List<JournalEvent> events, Class<? extends JournalEvent> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + events);
  }

  @Test
  void aNonRetryableFailureFailsTheRunAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p =
        Pipeline.named("strict")
            .stage(
                "check",
                ctx -> {
                  calls.incrementAndGet();
                  throw new StageException("bad_input", "field x is required", false);
                })
            .retry(QUICK_RETRY)
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine.submit(new SubmitRequest("strict", "t", input("y", 1), null, null)).run().runId();
    RunState failed = awaitState(engine, runId, QueueState.FAILED);
    assertThat(failed.error()).contains("field x is required");
    assertThat(calls.get()).isEqualTo(1);
    assertThat(engine.resume(runId)).as("failed is final").isFalse();
  }

  @Test
  void aStageThatOverrunsItsTimeoutIsAbandonedAndRetried() {
    AtomicInteger calls = new AtomicInteger();
    Pipeline p =
        Pipeline.named("slow")
            .stage(
                "sleepy",
                ctx -> {
                  if (calls.incrementAndGet() == 1) {
                    Thread.sleep(60_000);
                  }
                  return input("woke", true);
                })
            .timeout(Duration.ofMillis(200))
            .retry(QUICK_RETRY)
            .build();
    PipelineEngine engine = engine("n1", FAST, p);
    String runId =
        engine.submit(new SubmitRequest("slow", "t", input("y", 1), null, null)).run().runId();
    awaitState(engine, runId, QueueState.SUCCEEDED);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(events(runId))
        .anyMatch(e -> e instanceof JournalEvent.StageFailed f && f.errorClass().equals("timeout"));
  }

  @Test
  void runsWaitParkedOnAnOpenBreakerWithoutBurningAttemptsAndResumeWhenItRecovers() {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    Pipeline p =
        Pipeline.named("dep")
            .stage(
                "call",
                ctx -> {
                  calls.incrementAndGet();
                  if (down.get()) {
                    throw new StageException("http_503", "crm answered 503", true);
                  }
                  return input("ok", true);
                })
            .dependency("crm")
            .retry(new RetryPolicy(50, Duration.ofMillis(10), Duration.ofMillis(20), 1))
            .build();
    Pipeline other = Pipeline.named("other").stage("x", ctx -> input("ok", true)).build();
    PipelineEngine engine = engine("n1", FAST, p, other);
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      runs.add(
          engine.submit(new SubmitRequest("dep", "t", input("i", i), null, null)).run().runId());
    }
    await().atMost(WAIT).until(() -> engine.stats().parked() >= 10);
    int callsWhileOpen = calls.get();
    // Runs of pipelines that do not need the dependency are not held up.
    String otherRun =
        engine.submit(new SubmitRequest("other", "t", input("i", 0), null, null)).run().runId();
    awaitState(engine, otherRun, QueueState.SUCCEEDED);
    assertThat(callsWhileOpen)
        .as("the breaker (4 calls, 50%%) opened after a handful of calls, not 10 x 50 attempts")
        .isLessThan(12);
    RunState parked =
        engine.list(dev.ballast.core.queue.RunFilter.inState(QueueState.WAITING, 100)).stream()
            .filter(r -> "crm".equals(r.waitingOn()))
            .findFirst()
            .orElseThrow();
    assertThat(parked.attempts()).isLessThan(50);

    down.set(false);
    for (String run : runs) {
      awaitState(engine, run, QueueState.SUCCEEDED);
    }
    assertThat(events(runs.get(0)))
        .anyMatch(e -> e instanceof JournalEvent.StageFailed f && f.next().equals("parked"));
  }

  @Test
  void aWebhookReceivesTheEffectKeyAndARetryResendsTheSameKey() throws Exception {
    Map<String, Integer> keys = new ConcurrentHashMap<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          keys.merge(key, 1, Integer::sum);
          // The first delivery fails after the receiver saw it: the engine must resend the key.
          int status = requests.incrementAndGet() == 1 ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    sink.start();
    try {
      ObjectNode params = JsonNodeFactory.instance.objectNode();
      params.put("url", "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook");
      params.put("method", "POST");
      params.set("body", input("n", "{{input.n}}"));
      Pipeline p =
          Pipeline.named("notify")
              .stage("notify", "http_action", params)
              .effectful()
              .retry(QUICK_RETRY)
              .build();
      PipelineEngine engine = engine("n1", FAST, p);
      String runId =
          engine.submit(new SubmitRequest("notify", "t", input("n", 7), null, null)).run().runId();
      RunState done = awaitState(engine, runId, QueueState.SUCCEEDED);
      assertThat(keys).containsOnlyKeys(runId + "/notify/webhook");
      assertThat(keys.get(runId + "/notify/webhook")).isEqualTo(2);
      assertThat(PipelineEngine.json(done.output()).get("status").asInt()).isEqualTo(200);
      List<JournalEvent> events = events(runId);
      assertThat(events)
          .filteredOn(e -> e instanceof JournalEvent.EffectRecorded)
          .extracting(e -> ((JournalEvent.EffectRecorded) e).firstRecord())
          .containsExactly(true, false);
    } finally {
      sink.stop(0);
    }
  }

  @Test
  void aWorkerPausedPastItsLeaseCannotCommitAfterAnotherWorkerTookTheRun() throws Exception {
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger executions = new AtomicInteger();
    List<String> committedBy = Collections.synchronizedList(new ArrayList<>());
    Pipeline p =
        Pipeline.named("fenced")
            .stage(
                "work",
                ctx -> {
                  int n = executions.incrementAndGet();
                  if (n == 1) {
                    firstEntered.countDown();
                    // Paused (a GC pause, a frozen VM): ignores interrupts, outlives its lease.
                    while (true) {
                      try {
                        if (releaseFirst.await(30, TimeUnit.SECONDS)) {
                          break;
                        }
                      } catch (InterruptedException ignored) {
                        // A zombie does not notice it lost the run.
                      }
                    }
                  }
                  committedBy.add(ctx.workerId());
                  return input("by", ctx.workerId());
                })
            .timeout(Duration.ofSeconds(60))
            .build();
    // Node A: a short lease and no heartbeats to speak of, so its lease lapses while paused.
    WorkersConfig lapsing =
        new WorkersConfig(
            1, Duration.ofMillis(400), Duration.ofSeconds(100), Duration.ofMillis(50));
    PipelineEngine a = engine("node-a", lapsing, p);
    String runId =
        a.submit(new SubmitRequest("fenced", "t", input("x", 1), null, null)).run().runId();
    assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    PipelineEngine b = engine("node-b", FAST, p);
    RunState done = awaitState(b, runId, QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(done.output()).get("by").asText()).isEqualTo("node-b");
    releaseFirst.countDown();
    // A's handler returns now; its checkpoint carries a stale fence and must be refused.
    await().atMost(WAIT).until(() -> a.stats().leasesLost() >= 1);
    RunState after = b.find(runId).orElseThrow();
    assertThat(after.state()).isEqualTo(QueueState.SUCCEEDED);
    assertThat(PipelineEngine.json(after.output()).get("by").asText()).isEqualTo("node-b");
    assertThat(events(runId))
        .anyMatch(e -> e instanceof JournalEvent.StageFailed f && f.next().equals("lost"));
  }

  @Test
  void aPipelineLimitCapsConcurrentRunsAcrossNodes() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Pipeline p =
        Pipeline.named("limited")
            .maxConcurrent(2)
            .stage(
                "hold",
                ctx -> {
                  int c = now.incrementAndGet();
                  peak.accumulateAndGet(c, Math::max);
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } finally {
                    now.decrementAndGet();
                  }
                  return input("ok", true);
                })
            .build();
    WorkersConfig oneSlot =
        new WorkersConfig(1, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50));
    WorkersConfig eightSlots =
        new WorkersConfig(8, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50));
    PipelineEngine first = engine("n1", oneSlot, p);
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(
          first.submit(new SubmitRequest("limited", "t", input("i", i), null, null)).run().runId());
    }
    await().atMost(WAIT).until(() -> now.get() == 1);

    // n2 has eight free slots and four ready runs, but only one place is left: a limit counted
    // per node would let it take two, three runs in all.
    engine("n2", eightSlots, p);
    await().atMost(WAIT).until(() -> now.get() >= 2);
    await("runs held stay at the limit of 2 for 300 ms")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> now.get() == 2 && queue().stats(Instant.now()).depth(QueueState.RUNNING) == 2);
    release.countDown();

    Set<String> workers = new HashSet<>();
    for (String run : runs) {
      awaitState(first, run, QueueState.SUCCEEDED);
      events(run).stream()
          .filter(e -> e instanceof JournalEvent.StageStarted)
          .forEach(e -> workers.add(((JournalEvent.StageStarted) e).worker()));
    }
    assertThat(peak.get()).isEqualTo(2);
    assertThat(workers).containsExactlyInAnyOrder("n1", "n2");
  }

  @Test
  void aPlaceFreedUnderALimitWakesANodeWaitingForItBeforeItsPoll() throws Exception {
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch releaseOther = new CountDownLatch(1);
    Pipeline limited =
        Pipeline.named("limited")
            .maxConcurrent(1)
            .stage(
                "hold",
                ctx -> {
                  if (ctx.input().get("i").asInt() == 1) {
                    firstEntered.countDown();
                    releaseFirst.await(30, TimeUnit.SECONDS);
                  }
                  return input("by", ctx.workerId());
                })
            .build();
    Pipeline other =
        Pipeline.named("other")
            .stage(
                "busy",
                ctx -> {
                  releaseOther.await(30, TimeUnit.SECONDS);
                  return input("ok", true);
                })
            .build();
    PipelineEngine a =
        engine(
            "node-a",
            new WorkersConfig(
                1, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50)),
            limited,
            other);
    String first =
        a.submit(new SubmitRequest("limited", "t", input("i", 1), null, null)).run().runId();
    assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    // node-b polls every 60 s: within this test only a signal can send it to the freed place.
    engine(
        "node-b",
        new WorkersConfig(1, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60)),
        limited);
    String second =
        a.submit(new SubmitRequest("limited", "t", input("i", 2), null, null)).run().runId();
    // Once free, node-a's only slot takes this run first (higher priority) and holds it.
    a.submit(new SubmitRequest("other", "t", input("i", 3), null, 10));
    await("the second run waits while the first holds the only place")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> queue().find(second).orElseThrow().state() == QueueState.QUEUED);

    releaseFirst.countDown();
    try {
      await("node-b takes the freed place long before its next poll")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> queue().find(second).orElseThrow().state() == QueueState.SUCCEEDED);
    } finally {
      releaseOther.countDown();
    }
    RunState done = queue().find(second).orElseThrow();
    assertThat(PipelineEngine.json(done.output()).get("by").asText()).isEqualTo("node-b");
    assertThat(awaitState(a, first, QueueState.SUCCEEDED).state()).isEqualTo(QueueState.SUCCEEDED);
  }

  @Test
  void oneHundredConcurrentSubmissionsWithOneIdempotencyKeyMakeOneRun() throws Exception {
    Pipeline p = Pipeline.named("once").stage("x", ctx -> input("ok", true)).build();
    PipelineEngine engine = engine("n1", FAST, p);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Submission>> futures = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 100; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return engine.submit(
                      new SubmitRequest("once", "t", input("x", 1), "key-1", null));
                }));
      }
      go.countDown();
      List<String> ids = new ArrayList<>();
      int created = 0;
      for (Future<Submission> f : futures) {
        Submission s = f.get(30, TimeUnit.SECONDS);
        ids.add(s.run().runId());
        created += s.created() ? 1 : 0;
      }
      assertThat(ids.stream().distinct()).hasSize(1);
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUnknownPipelineIsRefusedByName() {
    PipelineEngine engine =
        engine("n1", FAST, Pipeline.named("known").stage("x", ctx -> ctx.input()).build());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.submit(new SubmitRequest("nope", "t", input("x", 1), null, null)))
        .isInstanceOf(UnknownPipelineException.class)
        .hasMessageContaining("unknown pipeline \"nope\" (configured: known)");
  }
}
