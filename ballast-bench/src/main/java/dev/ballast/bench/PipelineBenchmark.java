package dev.ballast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import dev.ballast.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Durable pipeline throughput and checkpoint overhead: a 3-stage no-op pipeline on SQLite and
 * PostgreSQL, executed by the engine (with its journal) and, as the baseline in the same run, by
 * bare threads driving the run queue directly (claim, three checkpoints, complete; no journal, no
 * heartbeats). Writes a Markdown report and refreshes the "Durable pipelines" section of
 * BENCHMARKS.md.
 */
public final class PipelineBenchmark {
  static final String SECTION = "## Durable pipelines";
  private static final JsonNode SMALL = JsonNodeFactory.instance.objectNode().put("ok", true);
  private static final Pipeline NOOP3 =
      Pipeline.named("noop3")
          .stage("a", ctx -> SMALL)
          .stage("b", ctx -> SMALL)
          .stage("c", ctx -> SMALL)
          .build();

  record Result(
      String backend,
      String mode,
      int workers,
      int runs,
      double seconds,
      double checkpointP50,
      double checkpointP99) {
    double runsPerSecond() {
      return runs / seconds;
    }
  }

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    Path benchmarks = null;
    String commit = "unknown";
    int runs = 5000;
    String pgUrl =
        System.getenv()
            .getOrDefault(
                "BALLAST_BENCH_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    List<Integer> sqliteWorkers = List.of(1, 4);
    List<Integer> pgWorkers = List.of(8, 32);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--benchmarks" -> benchmarks = Path.of(args[++i]);
        case "--commit" -> commit = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--sqlite-workers" -> sqliteWorkers = ints(args[++i]);
        case "--pg-workers" -> pgWorkers = ints(args[++i]);
        case "--pg-url" -> pgUrl = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    BrownoutReport.Facts facts = BrownoutReport.Facts.ofThisMachine(commit);
    List<Result> results = new ArrayList<>();
    // Warm-up: JIT and connection pools, discarded.
    runBackend("sqlite", null, Math.min(runs, 1000), List.of(2), new ArrayList<>());
    for (int w : sqliteWorkers) {
      runBackend("sqlite", null, runs, List.of(w), results);
    }
    for (int w : pgWorkers) {
      runBackend("postgresql", pgUrl, runs, List.of(w), results);
    }
    String report = markdown(runs, results, facts);
    System.out.println(report);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
    }
    if (benchmarks != null) {
      BenchmarksFile.replaceSection(benchmarks, SECTION, section(report));
    }
    System.exit(0);
  }

  private static List<Integer> ints(String csv) {
    return java.util.Arrays.stream(csv.split(","))
        .map(String::trim)
        .map(Integer::parseInt)
        .toList();
  }

  private static void runBackend(
      String backend, String pgUrl, int runs, List<Integer> workers, List<Result> results)
      throws Exception {
    for (int w : workers) {
      for (String mode : List.of("queue only (baseline)", "engine + journal")) {
        Path dir = Files.createTempDirectory("ballast-bench-pipelines");
        String schema =
            "bench_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        String url = pgUrl == null ? "sqlite:" : pgUrl + "&schema=" + schema;
        try (Store store = Stores.open(url, dir)) {
          LatencyRecorder checkpoints = new LatencyRecorder();
          RunQueue queue =
              Timed.method(RunQueue.class, store.runQueue(), "checkpoint", checkpoints);
          Result r =
              mode.startsWith("queue")
                  ? baseline(backend, queue, runs, w, checkpoints)
                  : engine(backend, store, queue, runs, w, checkpoints, dir);
          results.add(r);
          System.err.printf(
              Locale.ROOT,
              "%s %s workers=%d: %.0f runs/s, checkpoint p50 %.2f ms p99 %.2f ms%n",
              backend,
              mode,
              w,
              r.runsPerSecond(),
              r.checkpointP50(),
              r.checkpointP99());
        } finally {
          if (pgUrl != null) {
            drop(pgUrl, schema);
          }
        }
      }
    }
  }

  private static Result baseline(
      String backend, RunQueue queue, int runs, int workers, LatencyRecorder checkpoints)
      throws InterruptedException {
    enqueueDirectly(queue, runs);
    checkpoints.reset();
    byte[] output = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      String worker = "w" + i;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (true) {
                      Optional<Lease> lease =
                          queue.claim(
                              worker, Instant.now(), Duration.ofSeconds(60), Set.of("noop3"));
                      if (lease.isEmpty()) {
                        return;
                      }
                      Lease l = lease.get();
                      for (int s = 0; s < 3; s++) {
                        queue.checkpoint(
                            l.runId(),
                            l.fence(),
                            s,
                            "abc".substring(s, s + 1),
                            output,
                            Instant.now());
                      }
                      queue.complete(l.runId(), l.fence(), output, Instant.now());
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(
        backend,
        "queue only (baseline)",
        workers,
        runs,
        seconds,
        checkpoints.millis(50),
        checkpoints.millis(99));
  }

  private static void enqueueDirectly(RunQueue queue, int runs) {
    byte[] input = "{\"i\":0}".getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.now();
    for (int i = 0; i < runs; i++) {
      queue.enqueue(
          new NewRun(
              "prun_bench_" + i,
              "noop3",
              NOOP3.definition().version(),
              "bench",
              0,
              input,
              null,
              now),
          now);
    }
  }

  private static Result engine(
      String backend,
      Store store,
      RunQueue queue,
      int runs,
      int workers,
      LatencyRecorder checkpoints,
      Path dir)
      throws InterruptedException {
    WorkersConfig config =
        new WorkersConfig(
            workers, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(200));
    try (JournalWriter journal =
        JournalWriter.start(store.journal(), JournalWriterConfig.defaults(dir.resolve("spool")))) {
      PipelineEngine submitter =
          PipelineEngine.start(
              EngineSettings.of("submitter", queue, List.of(NOOP3), config)
                  .withRunWorkers(false)
                  .withJournal(journal));
      for (int i = 0; i < runs; i++) {
        submitter.submit(
            new SubmitRequest(
                "noop3", "bench", JsonNodeFactory.instance.objectNode().put("i", i), null, null));
      }
      checkpoints.reset();
      long t0 = System.nanoTime();
      PipelineEngine workersEngine =
          PipelineEngine.start(
              EngineSettings.of("worker", queue, List.of(NOOP3), config).withJournal(journal));
      long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
      while (workersEngine.stats().runsSucceeded() < runs && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long done = workersEngine.stats().runsSucceeded();
      workersEngine.stop(Duration.ofSeconds(5));
      submitter.close();
      journal.flush(Duration.ofSeconds(30));
      if (done < runs) {
        throw new IllegalStateException(
            backend + ": only " + done + " of " + runs + " runs finished within 10 minutes");
      }
      return new Result(
          backend,
          "engine + journal",
          workers,
          runs,
          seconds,
          checkpoints.millis(50),
          checkpoints.millis(99));
    }
  }

  private static void drop(String pgUrl, String schema) {
    try (Connection c = DriverManager.getConnection(pgUrl);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.println("could not drop schema " + schema + ": " + e.getMessage());
    }
  }

  static String markdown(int runs, List<Result> results, BrownoutReport.Facts facts) {
    StringBuilder md = new StringBuilder();
    md.append("# Durable pipelines — ").append(facts.date()).append("\n\n");
    md.append(
        """
        %d runs of a 3-stage no-op pipeline per row, all enqueued before the workers start; a \
        row's time runs from the workers' start to the last run's success. *Engine + journal*: \
        the pipeline engine (worker slots, fenced leases, heartbeats, checkpoint per stage, the \
        run's journal events through the journal writer). *Queue only*: the baseline, bare threads \
        calling claim, three checkpoints and complete on the same store (5 transactions per run), \
        no journal. Checkpoint latency is the wall time of `RunQueue.checkpoint` as the caller \
        sees it (including waiting for a group commit). Machine: %d CPUs (%s), %s, load before the \
        run %s, commit %s. PostgreSQL on localhost with default durability settings \
        (`synchronous_commit=on`); SQLite in WAL mode.

        | backend | mode | workers | runs/s | stage transitions/s | checkpoint p50 (ms) | checkpoint p99 (ms) | engine / baseline |
        |---|---|---|---|---|---|---|---|
        """
            .formatted(
                runs,
                facts.cpus(),
                facts.cpuModel(),
                facts.jvm(),
                facts.loadBefore(),
                facts.commit()));
    for (Result r : results) {
      Result base =
          results.stream()
              .filter(
                  b ->
                      b.backend().equals(r.backend())
                          && b.workers() == r.workers()
                          && b.mode().startsWith("queue"))
              .findFirst()
              .orElse(null);
      String ratio =
          r.mode().startsWith("queue") || base == null
              ? "—"
              : String.format(Locale.ROOT, "%.2f", r.runsPerSecond() / base.runsPerSecond());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %,.0f | %,.0f | %.2f | %.2f | %s |%n",
              r.backend(),
              r.mode(),
              r.workers(),
              r.runsPerSecond(),
              r.runsPerSecond() * 3,
              r.checkpointP50(),
              r.checkpointP99(),
              ratio));
    }
    md.append(targets(results));
    return md.toString();
  }

  /**
   * The aim for PostgreSQL holds only when one row meets both halves at once: ≥ 1,000
   * runs/s and checkpoint p50 ≤ 2 ms.
   */
  static String targets(List<Result> results) {
    List<Result> pg =
        results.stream()
            .filter(r -> r.backend().equals("postgresql") && r.mode().startsWith("engine"))
            .toList();
    if (pg.isEmpty()) {
      return "";
    }
    Comparator<Result> byThroughput = Comparator.comparingDouble(Result::runsPerSecond);
    Optional<Result> both =
        pg.stream()
            .filter(r -> r.runsPerSecond() >= 1000 && r.checkpointP50() <= 2)
            .max(byThroughput);
    if (both.isPresent()) {
      Result r = both.get();
      return String.format(
          Locale.ROOT,
          "%nTargets (PostgreSQL, engine), ≥ 1,000 runs/s with checkpoint p50 ≤ 2 ms in one row:"
              + " met at %d workers, %,.0f runs/s (%,.0f stage transitions/s) with p50 %.2f ms.%n",
          r.workers(),
          r.runsPerSecond(),
          r.runsPerSecond() * 3,
          r.checkpointP50());
    }
    Result fastest = pg.stream().max(byThroughput).orElseThrow();
    return String.format(
        Locale.ROOT,
        "%nTargets (PostgreSQL, engine), ≥ 1,000 runs/s with checkpoint p50 ≤ 2 ms in one row:"
            + " missed; the fastest row makes %,.0f runs/s at %d workers with p50 %.2f ms.%n",
        fastest.runsPerSecond(),
        fastest.workers(),
        fastest.checkpointP50());
  }

  private static String section(String report) {
    return """
        %s

        Throughput of durable runs and the cost of a checkpoint, engine next to the bare queue in \
        the same run. Reproduce with:

        ```
        bash bench/pipelines.sh
        ```

        (`PIPELINE_BENCH_RUNS` runs per row, default 5000; `BALLAST_BENCH_POSTGRES_URL` for another \
        PostgreSQL.) Every run writes `bench/results/pipelines-<date>.md`; the latest is copied \
        below.

        %s"""
        .formatted(SECTION, report.replaceFirst("^# ", "### Latest: "));
  }
}
