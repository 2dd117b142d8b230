package dev.ballast.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.Gateway;
import dev.ballast.gateway.Replays;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import dev.ballast.replay.Overrides;
import dev.ballast.replay.ReplayOutcome;
import dev.ballast.replay.ReplayReport;
import dev.ballast.replay.Replayer;
import dev.ballast.store.Stores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Deterministic replay throughput: N runs of a 5-stage pipeline (transform, generate on the
 * in-process simulator, transform, validate, http_action to a local sink) recorded by a real
 * gateway into SQLite, then every run replayed with {@link Replayer#replay} on 1 and 2 threads. The
 * baseline, measured in the same run on the same journals: reading and decoding them ({@code
 * store.events} of the run and of its model call, every payload's blob parsed as JSON) without
 * executing anything. Every replay must come out IDENTICAL and the sink must see no request during
 * the replays; otherwise the benchmark fails, since the speed of wrong replays means nothing.
 * Writes a Markdown report and, with {@code --benchmarks}, refreshes the "Replay" section of
 * BENCHMARKS.md.
 */
public final class ReplayBenchmark {
  static final String SECTION = "## Replay";
  private static final String PIPELINE = "digest5";
  private static final String GENERATE_STAGE = "summarize";
  private static final String KEY = "bk-bench-replay";

  /**
   * One measured pass.
   *
   * @param executeMs mean of {@link ReplayReport#durationMs()}: the re-execution after the run's
   *     own journal is loaded (it includes loading the model call's journal)
   */
  record Result(
      String mode,
      int threads,
      int runs,
      double seconds,
      double p50,
      double p99,
      double executeMs,
      Map<ReplayOutcome, Long> outcomes) {
    double runsPerSecond() {
      return runs / seconds;
    }
  }

  private ReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = null;
    Path benchmarks = null;
    String commit = "unknown";
    int runs = 2000;
    List<Integer> threads = List.of(1, 2);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--benchmarks" -> benchmarks = Path.of(args[++i]);
        case "--commit" -> commit = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--threads" ->
            threads =
                java.util.Arrays.stream(args[++i].split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    BrownoutReport.Facts facts = BrownoutReport.Facts.ofThisMachine(commit);
    Path dir = Files.createTempDirectory("ballast-bench-replay");
    AtomicInteger deliveries = new AtomicInteger();
    HttpServer sink = sink(deliveries);
    try {
      BallastConfig config = config(dir, "http://127.0.0.1:" + sink.getAddress().getPort());
      long t0 = System.nanoTime();
      List<String> ids = record(config, runs);
      double recordSeconds = (System.nanoTime() - t0) / 1e9;
      System.err.printf(
          Locale.ROOT, "recorded %d runs in %.1f s (%d deliveries)%n", runs, recordSeconds, runs);
      List<Result> results = new ArrayList<>();
      try (Store store = Stores.open(config.storeUrl(), config.server().dataDir());
          Replays replays = Replays.open(config, store)) {
        Replayer replayer = replays.replayer();
        int before = deliveries.get();
        // Warm-up: JIT, the SQLite page cache and connection pool; discarded.
        List<String> warm = ids.subList(0, Math.min(ids.size(), 500));
        baseline(store.journal(), warm, 2);
        replays(replayer, warm, 2);
        for (int t : threads) {
          results.add(baseline(store.journal(), ids, t));
          results.add(replays(replayer, ids, t));
        }
        if (deliveries.get() != before) {
          throw new IllegalStateException(
              (deliveries.get() - before) + " webhook deliveries during deterministic replays");
        }
      }
      for (Result r : results) {
        System.err.printf(
            Locale.ROOT,
            "%s threads=%d: %.0f runs/s, p50 %.3f ms p99 %.3f ms %s%n",
            r.mode(),
            r.threads(),
            r.runsPerSecond(),
            r.p50(),
            r.p99(),
            r.outcomes());
      }
      String report = markdown(runs, recordSeconds, results, facts);
      System.out.println(report);
      if (out != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
      }
      if (benchmarks != null) {
        BenchmarksFile.replaceSection(benchmarks, SECTION, section(report));
      }
    } finally {
      sink.stop(0);
      deleteTree(dir);
    }
    System.exit(0);
  }

  /** The recorded store grows with N and is of no use once measured; it is not kept. */
  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String yaml(String sinkUrl) {
    return """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: sim}
        groups:
          default: {deployments: [primary]}
        tenants:
          bench: {keys: ["%s"]}
        workers: {concurrency: 4, lease: 30s, heartbeat: 5s, poll: 20ms}
        prompts:
          summarize: {system: "Answer in one sentence.", user: "Summarize: {{input.text}}"}
        pipelines:
          %s:
            stages:
              - {name: prep, type: transform, output: {text: "{{input.text}}", id: "{{input.id}}"}}
              - {name: %s, type: generate, group: default, prompt: summarize, timeout: 10s}
              - name: shape
                type: transform
                output: {summary: "{{stages.summarize.text}}", doc: "{{stages.prep.id}}"}
              - {name: check, type: validate, of: shape, schema: {type: object, required: [summary]}}
              - name: notify
                type: http_action
                url: "%s/hook"
                body: {summary: "{{stages.shape.summary}}", doc: "{{stages.shape.doc}}"}
                timeout: 5s
        """
        .formatted(ConfigLoader.hashKey(KEY), PIPELINE, GENERATE_STAGE, sinkUrl);
  }

  private static BallastConfig config(Path dir, String sinkUrl) {
    BallastConfig config = ConfigLoader.parse("replay benchmark", yaml(sinkUrl), Map.of());
    return config.withServer(config.server().withDataDir(dir.resolve("data")));
  }

  /** A webhook receiver that answers 200 and counts what it receives. */
  private static HttpServer sink(AtomicInteger n) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          n.incrementAndGet();
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** Runs the pipeline N times through a real gateway (engine, journal, SQLite) and waits. */
  private static List<String> record(BallastConfig config, int runs) throws InterruptedException {
    List<String> ids = new ArrayList<>(runs);
    try (Gateway gateway = Gateway.start(config)) {
      PipelineEngine engine = gateway.pipelines();
      for (int i = 0; i < runs; i++) {
        var input =
            JsonNodeFactory.instance
                .objectNode()
                .put("text", "document " + i + " about replaying journals")
                .put("id", "d" + i);
        ids.add(
            engine.submit(new SubmitRequest(PIPELINE, "bench", input, null, null)).run().runId());
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      for (String id : ids) {
        QueueState state;
        while ((state = engine.find(id).orElseThrow().state()) != QueueState.SUCCEEDED) {
          if (state == QueueState.FAILED || state == QueueState.DEAD) {
            throw new IllegalStateException("recording: run " + id + " is " + state.wireName());
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("recording: run " + id + " not done in 10 minutes");
          }
          Thread.sleep(5);
        }
      }
      gateway.journal().flush(Duration.ofSeconds(60));
    }
    return ids;
  }

  private static Result replays(Replayer replayer, List<String> ids, int threads)
      throws InterruptedException {
    Map<ReplayOutcome, LongAdder> outcomes = new ConcurrentHashMap<>();
    LongAdder executeNanos = new LongAdder();
    Timing t =
        measure(
            ids,
            threads,
            id -> {
              ReplayReport r = replayer.replay(id, Overrides.NONE);
              outcomes.computeIfAbsent(r.outcome(), o -> new LongAdder()).increment();
              executeNanos.add((long) (r.durationMs() * 1e6));
              if (r.outcome() != ReplayOutcome.IDENTICAL) {
                throw new IllegalStateException(
                    "replay of "
                        + id
                        + " was "
                        + r.outcome()
                        + (r.divergence() == null ? "" : ": " + r.divergence().describe())
                        + (r.note() == null ? "" : " (" + r.note() + ")"));
              }
            });
    Map<ReplayOutcome, Long> counts = new EnumMap<>(ReplayOutcome.class);
    outcomes.forEach((o, n) -> counts.put(o, n.sum()));
    return new Result(
        "replay",
        threads,
        ids.size(),
        t.seconds(),
        t.p50(),
        t.p99(),
        executeNanos.sum() / 1e6 / ids.size(),
        counts);
  }

  /** Reads and decodes what a replay of each run reads, without executing anything. */
  private static Result baseline(JournalStore store, List<String> ids, int threads)
      throws InterruptedException {
    LongAdder callJournals = new LongAdder();
    Timing t =
        measure(
            ids,
            threads,
            id -> {
              for (JournalEntry e : store.events(id)) {
                decode(store, e.event());
                if (e.event() instanceof JournalEvent.StageStarted s
                    && s.stage().equals(GENERATE_STAGE)) {
                  List<JournalEntry> call =
                      store.events(
                          dev.ballast.core.pipeline.StageContext.callId(
                              id, s.stage(), s.attempt(), s.fence()));
                  call.forEach(c -> decode(store, c.event()));
                  callJournals.add(call.isEmpty() ? 0 : 1);
                }
              }
            });
    // The baseline must read what the replay reads, or the ratio flatters the replay.
    if (callJournals.sum() < ids.size()) {
      throw new IllegalStateException(
          "baseline found the model call journal of only "
              + callJournals.sum()
              + " of "
              + ids.size()
              + " runs");
    }
    return new Result(
        "read + decode journals (baseline)",
        threads,
        ids.size(),
        t.seconds(),
        t.p50(),
        t.p99(),
        Double.NaN,
        Map.of());
  }

  private static void decode(JournalStore store, JournalEvent event) {
    for (Payload p : event.payloads()) {
      byte[] bytes = p.bytes() != null ? p.bytes() : store.blob(p.hash()).orElse(null);
      if (bytes == null) {
        continue;
      }
      try {
        Json.mapper().readTree(bytes);
      } catch (IOException e) {
        throw new IllegalStateException("payload " + p.hash() + " is not JSON", e);
      }
    }
  }

  record Timing(double seconds, double p50, double p99) {}

  /** Runs {@code work} once per id on {@code threads} threads, timing each call. */
  private static Timing measure(List<String> ids, int threads, Consumer<String> work)
      throws InterruptedException {
    LatencyRecorder latencies = new LatencyRecorder();
    AtomicInteger next = new AtomicInteger();
    Map<String, RuntimeException> failure = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i; (i = next.getAndIncrement()) < ids.size(); ) {
                      long s = System.nanoTime();
                      try {
                        work.accept(ids.get(i));
                      } catch (RuntimeException e) {
                        failure.putIfAbsent("first", e);
                        return;
                      }
                      latencies.record(System.nanoTime() - s);
                    }
                  }));
    }
    for (Thread w : workers) {
      w.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.containsKey("first")) {
      throw failure.get("first");
    }
    return new Timing(seconds, latencies.millis(50), latencies.millis(99));
  }

  static String markdown(
      int runs, double recordSeconds, List<Result> results, BrownoutReport.Facts facts) {
    StringBuilder md = new StringBuilder();
    md.append("# Replay — ").append(facts.date()).append("\n\n");
    md.append(
        """
        %d runs of a 5-stage pipeline (transform → generate on the in-process simulator → \
        transform → validate → http_action to a local sink), recorded by a gateway into SQLite \
        (WAL) in %.1f s, then each replayed deterministically with `Replayer.replay` (the \
        gateway's attempt loop re-run over the recorded provider answers, the webhook answered \
        from the journal; the sink saw no request). *Baseline*: in the same run, reading and \
        decoding the same journals — `store.events` of the run and of its model call, every \
        payload's blob parsed as JSON — without executing. Latency is per run as the caller sees \
        it. *Execute* is the mean `ReplayReport.durationMs`: the re-execution after the run's own \
        journal is loaded (including loading its model call's journal); the rest of a replay is \
        loading the run's journal. Machine: %d CPUs (%s), %s, load before the run %s (shared \
        with other builds), commit %s.

        | mode | threads | runs/s | p50 (ms) | p99 (ms) | execute (ms, mean) | replay / baseline | outcomes |
        |---|---|---|---|---|---|---|---|
        """
            .formatted(
                runs,
                recordSeconds,
                facts.cpus(),
                facts.cpuModel(),
                facts.jvm(),
                facts.loadBefore(),
                facts.commit()));
    for (Result r : results) {
      Result base =
          results.stream()
              .filter(b -> b.threads() == r.threads() && b.mode().startsWith("read"))
              .findFirst()
              .orElse(null);
      boolean isBase = r.mode().startsWith("read");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,.0f | %.3f | %.3f | %s | %s | %s |%n",
              r.mode(),
              r.threads(),
              r.runsPerSecond(),
              r.p50(),
              r.p99(),
              isBase ? "—" : String.format(Locale.ROOT, "%.3f", r.executeMs()),
              isBase || base == null
                  ? "—"
                  : String.format(Locale.ROOT, "%.2f", r.runsPerSecond() / base.runsPerSecond()),
              isBase ? "—" : outcomes(r.outcomes())));
    }
    Result best =
        results.stream()
            .filter(r -> r.mode().equals("replay"))
            .max(java.util.Comparator.comparingDouble(Result::runsPerSecond))
            .orElse(null);
    if (best != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nTarget: ≥ 1,000 replays/s — best %,.0f replays/s at %d thread(s) (%s).%n",
              best.runsPerSecond(),
              best.threads(),
              best.runsPerSecond() >= 1000 ? "met" : "missed"));
    }
    return md.toString();
  }

  private static String outcomes(Map<ReplayOutcome, Long> outcomes) {
    StringBuilder b = new StringBuilder();
    outcomes.forEach(
        (o, n) -> b.append(b.isEmpty() ? "" : ", ").append(o.wireName()).append(' ').append(n));
    return b.toString();
  }

  private static String section(String report) {
    return """
        %s

        Deterministic replay throughput next to reading the same journals, in the same run. \
        Reproduce with:

        ```
        bash bench/replay.sh
        ```

        (`REPLAY_BENCH_RUNS` runs, default 2000.) Every run writes \
        `bench/results/replay-<date>.md`; the latest is copied below.

        %s"""
        .formatted(SECTION, report.replaceFirst("^# ", "### Latest: "));
  }
}
