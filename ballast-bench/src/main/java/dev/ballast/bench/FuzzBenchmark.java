package dev.ballast.bench;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.gateway.Gateway;
import dev.ballast.testkit.fuzz.HttpFuzzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The long version of the suite's {@code FuzzTest}: a gateway with a simulator, a pipeline and a
 * collection, and many more seeded hostile requests. Writes the counts (by status, by kind of
 * request), the findings and whether every run ended to a results file, and optionally to the
 * "Fuzzing" section of BENCHMARKS.md.
 *
 * <pre>
 * java dev.ballast.bench.FuzzBenchmark --requests 20000 --minutes 10 --threads 4 --seed 1 \
 *     --out bench/results/fuzz-DATE.md [--benchmarks BENCHMARKS.md] [--commit SHA]
 * </pre>
 */
public final class FuzzBenchmark {
  private static final String KEY = "bk-fuzz";

  public static void main(String[] args) throws Exception {
    int requests = 20_000;
    int minutes = 10;
    int threads = 4;
    long seed = 1;
    Path out = null;
    Path benchmarks = null;
    String commit = "";
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--minutes" -> minutes = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--benchmarks" -> benchmarks = Path.of(args[i + 1]);
        case "--commit" -> commit = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out is required");
    }
    Path data = Files.createTempDirectory("ballast-fuzz");
    try (Gateway gateway = Gateway.start(config(data))) {
      HttpFuzzer.Report report =
          new HttpFuzzer(
                  "127.0.0.1",
                  gateway.port(),
                  KEY,
                  List.of("default", "short", "no-such-model"),
                  List.of("echo", "no-such-pipeline"),
                  List.of("docs"))
              .run(seed, requests, Duration.ofMinutes(minutes), threads);
      gateway.journal().flush(Duration.ofSeconds(60));
      long running = runningAfter(gateway, Duration.ofSeconds(60));
      String section = section(report, running, seed, threads, commit);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(
          out, section.replaceFirst("^## Fuzzing", "# Fuzzing — " + LocalDate.now(ZoneOffset.UTC)));
      if (benchmarks != null) {
        BenchmarksFile.replaceSection(benchmarks, "## Fuzzing", section);
      }
      System.out.println(section);
      if (!report.findings().isEmpty() || running > 0) {
        System.exit(1);
      }
    }
  }

  /** Runs still running once the fuzzing is over, after waiting up to {@code wait}. */
  private static long runningAfter(Gateway gateway, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long running;
    do {
      running =
          gateway.store().journal().listRuns(RunQuery.latest(RunQuery.MAX_LIMIT)).stream()
              .filter(r -> r.status() == RunStatus.RUNNING)
              .count();
      if (running == 0) {
        return 0;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    return running;
  }

  private static String section(
      HttpFuzzer.Report report, long running, long seed, int threads, String commit) {
    StringBuilder s = new StringBuilder("## Fuzzing\n\n");
    s.append("Seeded hostile requests over raw sockets against a gateway with a simulator, a")
        .append(" pipeline and a collection: valid bodies with hostile values, hostile JSON")
        .append(" Schemas and tools, broken encodings, abusive paths, queries and headers, on")
        .append(" both doors and every POST endpoint. Reproduce with `bash bench/fuzz.sh`; the")
        .append(" suite runs the same fuzzer for about a minute (`FuzzTest`).\n\n");
    s.append("| measure | value |\n|---|---|\n");
    s.append("| requests | ")
        .append(report.requests())
        .append(" in ")
        .append(report.elapsed().toSeconds())
        .append(" s, ")
        .append(threads)
        .append(" threads, seed ")
        .append(seed)
        .append(" |\n");
    s.append("| answers by status | ").append(report.statusSummary()).append(" |\n");
    s.append("| requests by kind | ").append(report.byKind()).append(" |\n");
    s.append("| findings (5xx for a client mistake, no answer, hang) | **")
        .append(report.findings().size())
        .append("** |\n");
    s.append("| runs still running afterwards | **").append(running).append("** |\n");
    if (!commit.isEmpty()) {
      s.append("\nCommit ").append(commit).append(".\n");
    }
    for (String finding : report.findings().stream().limit(20).toList()) {
      s.append("\n- ").append(finding.length() > 300 ? finding.substring(0, 300) + "…" : finding);
    }
    return s.append('\n').toString();
  }

  static BallastConfig config(Path dataDir) {
    String yaml =
        """
        server: {port: 0, max_body_bytes: 262144}
        providers: {sim: {type: simulator}}
        deployments:
          sim: {provider: sim, model: sim, max_concurrent: 16}
          sim-b: {provider: sim, model: "sim:tokens=5", max_concurrent: 16}
        groups:
          default: {deployments: [sim, sim-b]}
          short: {deployments: [sim-b]}
        tenants: {fuzz: {keys: ["%s"]}}
        workers: {concurrency: 2, poll: 50ms}
        collections:
          docs: {embedding: default, owner: fuzz}
        prompts:
          say: {user: "{{input.text}}"}
        pipelines:
          echo:
            stages:
              - {name: say, type: generate, group: default, prompt: say}
              - {name: shape, type: transform, output: {said: "{{stages.say.text}}"}}
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("fuzz", yaml, Map.of());
    return config.withServer(config.server().withDataDir(dataDir));
  }
}
