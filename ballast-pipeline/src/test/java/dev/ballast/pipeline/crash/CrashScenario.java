package dev.ballast.pipeline.crash;

import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Drives one crash run: starts the worker processes, submits runs while it kills random workers
 * with SIGKILL (starting a replacement after each kill), waits for every run to settle, and
 * collects what the store, the sink and the workers' logs then show. {@link CrashAnalysis} turns
 * that into a {@link CrashReport}.
 */
final class CrashScenario {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SETTLE_POLL = Duration.ofMillis(50);

  private final CrashSettings settings;
  private final CrashBackend backend;
  private final Path logDir;
  private final Path scratchDir;
  private final Random random;

  /** A kill and the runs the killed worker held at that moment, with their fences. */
  record Kill(WorkerFleet.Killed killed, Map<String, Long> held) {}

  /** A checkpoint row: which lease (fence) wrote stage {@code index} of a run, and when. */
  record Checkpoint(String runId, int index, long fence, Instant at) {}

  /**
   * A lease's first stage start, from the journal: run {@code runId} was claimed under {@code
   * fence} by {@code worker} at {@code at}, having been claimable since {@code readyAt}.
   */
  record Claim(String runId, long fence, String worker, Instant readyAt, Instant at) {}

  /** A row of the effects ledger. */
  record LedgerRow(String runId, String stage, String key, long fence) {}

  /** Everything the run produced, before judgement. */
  record Observed(
      Map<String, Integer> submitted,
      List<Kill> kills,
      int workersStarted,
      List<Duration> startups,
      boolean sharedClassArchive,
      int unexpectedExits,
      Instant firstSubmit,
      Instant lastKill,
      Instant settledAt,
      boolean settled,
      List<RunState> runs,
      Map<String, RecordingSink.KeyStats> sink,
      long sinkRequests,
      long sinkRequestsWithoutKey,
      long sinkRequestsCutOff,
      List<Checkpoint> checkpoints,
      List<Claim> claims,
      List<LedgerRow> ledger,
      List<String> warnings,
      String logTails) {}

  /**
   * @param logDir where each worker's output goes
   * @param scratchDir where the workers' class archive is made
   */
  CrashScenario(CrashSettings settings, CrashBackend backend, Path logDir, Path scratchDir) {
    this.settings = settings;
    this.backend = backend;
    this.logDir = logDir;
    this.scratchDir = scratchDir;
    this.random = new Random(settings.seed());
  }

  CrashReport run() throws Exception {
    double loadBefore = loadAverage();
    try (RecordingSink sink = RecordingSink.start(settings.sinkDelay());
        Store store = backend.open()) {
      RunQueue queue = store.runQueue();
      WorkerJvm jvm = WorkerJvm.withSharedClasses(scratchDir, workerArgs("training", sink.url()));
      Observed observed;
      try (PipelineEngine submitter =
              PipelineEngine.start(
                  EngineSettings.of(
                          "crash-submitter",
                          queue,
                          List.of(CrashPipeline.build(sink.url(), settings.maxPause())),
                          workersConfig())
                      .withRunWorkers(false));
          WorkerFleet fleet =
              new WorkerFleet(
                  logDir, jvm, backend.name() + "-w", node -> workerArgs(node, sink.url()))) {
        observed = drive(submitter, queue, fleet, sink);
      }
      CrashReport.Environment environment =
          new CrashReport.Environment(
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
              loadBefore,
              loadAverage());
      return CrashAnalysis.analyze(settings, backend.name(), environment, observed);
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private WorkersConfig workersConfig() {
    return new WorkersConfig(
        settings.concurrency(), settings.lease(), settings.heartbeat(), settings.poll());
  }

  private List<String> workerArgs(String nodeId, String sinkUrl) {
    return CrashWorker.args(backend.storeUrl(), nodeId, sinkUrl, settings);
  }

  private Observed drive(
      PipelineEngine submitter, RunQueue queue, WorkerFleet fleet, RecordingSink sink)
      throws Exception {
    for (int i = 0; i < settings.workers(); i++) {
      fleet.start();
    }
    awaitReady(fleet, settings.workers());
    Map<String, Integer> submitted = new LinkedHashMap<>();
    Instant firstSubmit = Instant.now();
    // The runs are submitted in slices, one before each kill, so that every kill finds runs in
    // flight and the last slice is still running when the last kill comes. A slice goes in only
    // once enough workers are ready for the kill, and the kill follows within about a run's
    // duration.
    int slice =
        settings.kills() == 0 ? settings.runs() : Math.ceilDiv(settings.runs(), settings.kills());
    List<Kill> kills = new ArrayList<>();
    for (int k = 0; k < settings.kills(); k++) {
      awaitReady(fleet, settings.minAlive() + 1);
      submit(submitter, submitted, Math.min(settings.runs(), (k + 1) * slice));
      sleep(gap());
      WorkerFleet.Worker victim = victim(fleet, queue);
      WorkerFleet.Killed killed = fleet.kill(victim);
      kills.add(new Kill(killed, held(queue, victim.nodeId)));
      fleet.start();
      progress(k + 1, kills.getLast(), submitted.size(), firstSubmit);
    }
    submit(submitter, submitted, settings.runs());
    Instant lastKill = kills.isEmpty() ? Instant.now() : kills.getLast().killed().at();
    boolean settled = awaitSettled(queue, submitted.size());
    Instant settledAt = Instant.now();
    int unexpectedExits = (int) fleet.alive().stream().filter(w -> !w.process.isAlive()).count();
    return new Observed(
        submitted,
        kills,
        fleet.all().size(),
        fleet.startups(),
        fleet.sharesClasses(),
        unexpectedExits,
        firstSubmit,
        lastKill,
        settledAt,
        settled,
        queue.list(RunFilter.all(10_000)),
        sink.keys(),
        sink.requests(),
        sink.requestsWithoutKey(),
        sink.requestsCutOff(),
        checkpoints(),
        claims(),
        ledger(),
        warnings(fleet),
        settled ? "" : fleet.tails(40));
  }

  private void progress(int k, Kill kill, int submitted, Instant start) {
    System.out.printf(
        "%s crash: %6d ms  kill %d/%d of %s (up %d ms) held %d runs; %d runs submitted%n",
        backend.name(),
        Duration.between(start, kill.killed().at()).toMillis(),
        k,
        settings.kills(),
        kill.killed().nodeId(),
        kill.killed().uptime().toMillis(),
        kill.held().size(),
        submitted);
  }

  private static void submit(PipelineEngine submitter, Map<String, Integer> submitted, int upTo) {
    for (int n = submitted.size(); n < upTo; n++) {
      String runId =
          submitter
              .submit(
                  new SubmitRequest(
                      CrashPipeline.NAME, "crash", CrashPipeline.input(n), "crash-" + n, null))
              .run()
              .runId();
      submitted.put(runId, n);
    }
  }

  private Duration gap() {
    long min = settings.minGap().toMillis();
    return Duration.ofMillis(min + random.nextLong(settings.maxGap().toMillis() - min + 1));
  }

  /**
   * A ready worker to kill, once more than {@code minAlive} are ready; one that holds runs when
   * there is one, so that the kill interrupts work rather than an idle process.
   */
  private WorkerFleet.Worker victim(WorkerFleet fleet, RunQueue queue) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      List<WorkerFleet.Worker> ready = fleet.ready();
      if (ready.size() > settings.minAlive()) {
        Set<String> holders =
            queue.list(RunFilter.inState(QueueState.RUNNING, 10_000)).stream()
                .map(RunState::leaseOwner)
                .collect(Collectors.toSet());
        List<WorkerFleet.Worker> holding =
            ready.stream().filter(w -> holders.contains(w.nodeId)).toList();
        List<WorkerFleet.Worker> pool = holding.isEmpty() ? ready : holding;
        return pool.get(random.nextInt(pool.size()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "fewer than "
                + (settings.minAlive() + 1)
                + " workers became ready within "
                + READY_TIMEOUT
                + "\n"
                + fleet.tails(40));
      }
      sleep(Duration.ofMillis(20));
    }
  }

  private static Map<String, Long> held(RunQueue queue, String nodeId) {
    Map<String, Long> held = new LinkedHashMap<>();
    for (RunState run : queue.list(RunFilter.inState(QueueState.RUNNING, 10_000))) {
      if (nodeId.equals(run.leaseOwner())) {
        held.put(run.runId(), run.fence());
      }
    }
    return held;
  }

  private static void awaitReady(WorkerFleet fleet, int count) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (fleet.ready().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            count
                + " workers did not become ready within "
                + READY_TIMEOUT
                + "\n"
                + fleet.tails(40));
      }
      sleep(Duration.ofMillis(20));
    }
  }

  /** Waits until every run is final (succeeded, failed or dead); false at the timeout. */
  private boolean awaitSettled(RunQueue queue, int runs) throws InterruptedException {
    long deadline = System.nanoTime() + settings.completionTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      QueueStats stats = queue.stats(Instant.now());
      long settled =
          stats.depth(QueueState.SUCCEEDED)
              + stats.depth(QueueState.FAILED)
              + stats.depth(QueueState.DEAD);
      if (settled >= runs) {
        return true;
      }
      sleep(SETTLE_POLL);
    }
    return false;
  }

  private List<Checkpoint> checkpoints() throws SQLException {
    String sql =
        "SELECT run_id, stage_index, fence, "
            + backend.micros("recorded_at")
            + " FROM "
            + backend.table("run_stage_outputs");
    List<Checkpoint> out = new ArrayList<>();
    try (Connection c = backend.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(
            new Checkpoint(rs.getString(1), rs.getInt(2), rs.getLong(3), micros(rs.getLong(4))));
      }
    }
    return out;
  }

  /**
   * The claims the journal shows: a {@code StageStarted} event with a queue wait is the first stage
   * of a lease. A lease whose worker died before its journal write reached the store is missing.
   */
  private List<Claim> claims() throws SQLException {
    String sql =
        "SELECT run_id, "
            + backend.micros("at")
            + ", body FROM "
            + backend.table("journal_events")
            + " WHERE type = 'StageStarted'";
    Map<String, Claim> first = new LinkedHashMap<>();
    try (Connection c = backend.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        com.fasterxml.jackson.databind.JsonNode body = parse(rs.getString(3));
        String runId = rs.getString(1);
        long fence = body.path("fence").asLong();
        Instant at = micros(rs.getLong(2));
        long waitMicros = Math.round(body.path("queueWaitMs").asDouble() * 1_000);
        Claim claim =
            new Claim(
                runId,
                fence,
                body.path("worker").asText(),
                at.minus(waitMicros, java.time.temporal.ChronoUnit.MICROS),
                at);
        first.merge(runId + "/" + fence, claim, (a, b) -> a.at().isBefore(b.at()) ? a : b);
      }
    }
    return new ArrayList<>(first.values());
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return dev.ballast.core.Json.mapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a StageStarted event is not JSON: " + json, e);
    }
  }

  private List<LedgerRow> ledger() throws SQLException {
    String sql = "SELECT run_id, stage, effect_key, fence FROM " + backend.table("run_effects");
    List<LedgerRow> out = new ArrayList<>();
    try (Connection c = backend.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(new LedgerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return out;
  }

  private static Instant micros(long micros) {
    return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
  }

  /** The warnings and errors the workers logged (a store error, a lost lease), in order. */
  private static List<String> warnings(WorkerFleet fleet) throws IOException {
    List<String> out = new ArrayList<>();
    for (WorkerFleet.Worker w : fleet.all()) {
      if (!java.nio.file.Files.exists(w.log)) {
        continue;
      }
      for (String line : java.nio.file.Files.readAllLines(w.log)) {
        if (line.contains(" WARN ") || line.contains(" ERROR ")) {
          out.add(w.nodeId + ": " + line);
        }
      }
    }
    return out;
  }

  private static void sleep(Duration d) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(d.toMillis());
  }
}
