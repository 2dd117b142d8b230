package dev.ballast.bench;

import dev.ballast.bench.BrownoutBenchmark.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders brownout results as Markdown and keeps the "Brownout" section of BENCHMARKS.md. */
final class BrownoutReport {
  static final double TARGET_ATTEMPTS_PER_REQUEST = 1.2;
  static final double TARGET_ANSWERED = 0.995;

  private static final String SECTION = "## Brownout";

  private BrownoutReport() {}

  /**
   * Facts about the run that numbers depend on.
   *
   * @param date the UTC date of the run
   * @param cpus processors available to the JVM
   * @param cpuModel the CPU model, as /proc/cpuinfo names it
   * @param jvm the JVM's version and flags
   * @param commit the source revision, or "unknown"
   * @param loadBefore the 1-minute load average before the run started
   */
  record Facts(
      LocalDate date, int cpus, String cpuModel, String jvm, String commit, String loadBefore) {
    static Facts ofThisMachine(String commit) {
      return new Facts(
          LocalDate.now(ZoneOffset.UTC),
          Runtime.getRuntime().availableProcessors(),
          firstLineValue(Path.of("/proc/cpuinfo"), "model name"),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          commit == null || commit.isBlank() ? "unknown" : commit,
          firstField(Path.of("/proc/loadavg")));
    }
  }

  static String markdown(Settings settings, BrownoutBenchmark.Results run, Facts facts) {
    List<BrownoutResult> results = run.requests();
    StringBuilder md = new StringBuilder();
    md.append("# Brownout — ").append(facts.date()).append("\n\n");
    md.append(
        """
        A fixed arrival rate of %d requests/s for %d s per configuration (open loop: requests are \
        sent on schedule from virtual threads whatever the answers; latency counts from the \
        scheduled send time). Group `%s` = [primary, fallback]. The primary `%s` answers 503 to \
        50%% of its requests with log-normal latency (p50 20 ms, p99 300 ms); the fallback `%s` \
        is healthy. One JVM: the simulator over real sockets on 127.0.0.1 as the upstream, then \
        one gateway per configuration, loaded one after the other after a %d s warm-up through a \
        throw-away gateway. Non-streaming `POST /v1/chat/completions` with the JDK HttpClient.

        """
            .formatted(
                settings.rate(),
                settings.duration().toSeconds(),
                BrownoutBenchmark.GROUP,
                BrownoutBenchmark.PRIMARY,
                BrownoutBenchmark.FALLBACK,
                settings.warmup().toSeconds()));
    md.append(
        "| config | requests | answered % | attempts/request | primary attempts"
            + " | fallback attempts | p50 ms | p99 ms | max ms | client statuses |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (BrownoutResult r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.3f | %d | %d | %.1f | %.1f | %.1f | %s |%n",
              r.config(),
              r.requests(),
              100 * r.answeredShare(),
              r.attemptsPerRequest(),
              r.primaryAttempts(),
              r.fallbackAttempts(),
              r.latencyMillis(50),
              r.latencyMillis(99),
              r.maxLatencyMillis(),
              statuses(r.statuses())));
    }
    results.stream()
        .filter(
            r ->
                r.config().equals(BrownoutBenchmark.BALLAST.name())
                    || r.config().equals(BrownoutBenchmark.NO_BREAKER.name()))
        .forEach(r -> md.append('\n').append(targets(r)));
    md.append(
        "\nDecisions journaled after the failed attempts (the chain's reason for each extra"
            + " attempt, or for giving up):\n\n");
    for (BrownoutResult r : results) {
      md.append("- ").append(r.config()).append(": ").append(counts(r.decisions())).append('\n');
    }
    if (!run.streams().isEmpty()) {
      md.append('\n').append(streams(settings, run.streams()));
    }
    md.append(
        """

        - ballast: every `resilience` setting at its default (retry budget 20 %% of recent \
        requests + 3/s per deployment and global, breaker window 20 calls at 50 %% failures, \
        open 10 s, 1 retry per deployment, backoff 100 ms full jitter).
        - ballast-no-breaker: the defaults with `breaker: {failure_rate: 100, window: 100000}` \
        (never opens): failover before retry, the retry budget, and the route putting a \
        deployment that failed a quarter of its last 10 s of calls (at least 20) behind the healthy \
        one; it is asked first again once its failures age out, so the primary still gets a few \
        attempts every 10 s. Before that demotion every request tried the primary first: 76.8 %% \
        answered at 1.261 attempts per request, all the global retry budget could fail over.
        - naive: `max_retries_per_deployment: 3`, `retry_budget: {ratio: 1.0, \
        floor_per_second: 10000}` (effectively unlimited), `breaker: {failure_rate: 100, \
        window: 100000}` (never opens); it runs on Ballast's chain, so the same demotion spares it \
        most of its retries (1.497 attempts per request without it).
        - Upstream model names differ per configuration only in `tokens=` (%d, %d, %d), so the \
        simulator's attempt log separates them. Client statuses: -1 = client timeout \
        (%d s), -2 = connection error.

        Machine: %d CPUs (%s); %s; commit %s; 1-minute load average before the run %s. \
        The load generator, the gateways and the upstream share the machine. Latest send of the \
        load generator behind schedule: %s.
        """
            .formatted(
                BrownoutBenchmark.BALLAST.tokens(),
                BrownoutBenchmark.NO_BREAKER.tokens(),
                BrownoutBenchmark.NAIVE.tokens(),
                settings.requestTimeout().toSeconds(),
                facts.cpus(),
                facts.cpuModel(),
                facts.jvm(),
                facts.commit(),
                facts.loadBefore(),
                results.stream()
                    .map(
                        r ->
                            String.format(
                                Locale.ROOT, "%s %.1f ms", r.config(), r.maxSendLagNanos() / 1e6))
                    .collect(Collectors.joining(", "))));
    return md.toString();
  }

  private static String targets(BrownoutResult ballast) {
    double attempts = ballast.attemptsPerRequest();
    double answered = ballast.answeredShare();
    return String.format(
        Locale.ROOT,
        """
        | target (%s) | measured | verdict |
        |---|---:|---|
        | upstream attempts/request ≤ %.1f | %.3f | %s |
        | answered ≥ %.1f %% | %.2f %% | %s |
        """,
        ballast.config(),
        TARGET_ATTEMPTS_PER_REQUEST,
        attempts,
        attempts <= TARGET_ATTEMPTS_PER_REQUEST ? "met" : "**missed**",
        100 * TARGET_ANSWERED,
        100 * answered,
        answered >= TARGET_ANSWERED ? "met" : "**missed**");
  }

  private static String statuses(Map<Integer, Integer> statuses) {
    return counts(statuses);
  }

  private static String counts(Map<?, Integer> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + "×" + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private static String streams(Settings settings, List<BrownoutStreamResult> streams) {
    StringBuilder md = new StringBuilder();
    md.append(
        """
        Streams cut mid-answer: the same arrival rate and duration, streamed `POST \
        /v1/chat/completions` (`"stream": true`) to group `%s` = [primary, fallback]; the primary \
        `%s` cuts 5 %% of its streams after 8 of 64 tokens (connection closed without the \
        stream's end), the fallback `%s` never does. A stream is *whole* when it ended with \
        `[DONE]` and a finish reason and carried exactly the text most streams carried; \
        *continued* when its run journaled a continuation attempt. Time to the last byte, from \
        the scheduled send.

        | config | streams | whole %% | cut by primary | continued | primary attempts \
        | fallback attempts | plain p50 / p99 ms | continued p50 / p99 ms | added p50 ms \
        | client statuses |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
        """
            .formatted(
                BrownoutBenchmark.STREAM_GROUP,
                BrownoutBenchmark.STREAM_PRIMARY,
                BrownoutBenchmark.STREAM_FALLBACK));
    for (BrownoutStreamResult r : streams) {
      double plain50 = BrownoutStreamResult.millis(r.plainNanos(), 50);
      double continued50 = BrownoutStreamResult.millis(r.continuedNanos(), 50);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %d | %d | %d | %d | %.1f / %.1f | %s | %s | %s |%n",
              r.config(),
              r.requests(),
              100 * r.wholeShare(),
              r.cuts(),
              r.continued(),
              r.primaryAttempts(),
              r.fallbackAttempts(),
              plain50,
              BrownoutStreamResult.millis(r.plainNanos(), 99),
              r.continuedNanos().length == 0
                  ? "–"
                  : String.format(
                      Locale.ROOT,
                      "%.1f / %.1f",
                      continued50,
                      BrownoutStreamResult.millis(r.continuedNanos(), 99)),
              r.continuedNanos().length == 0
                  ? "–"
                  : String.format(Locale.ROOT, "%.1f", continued50 - plain50),
              statuses(r.statuses())));
    }
    md.append(
        """

        - stream-cuts: every setting at its default (`continue_streams: true`; the upstream is \
        `type: openai`, so a continuation asks by instruction and drops the repeated start).
        - stream-cuts-no-continuation: the same with the group's `continue_streams: false`: a \
        stream cut after its first token ends with an error event, as before continuation existed.
        - The streaming configurations' upstream models differ only in `model_id=stream-1` / \
        `stream-2`, so the simulator's attempt log separates them.
        """);
    return md.toString();
  }

  /**
   * Replaces the "Brownout" section of BENCHMARKS.md (up to the next second-level heading) with how
   * to reproduce the benchmark and the latest report; appends the section if it is missing. Every
   * other section is left byte for byte as it was.
   */
  static void updateBenchmarks(Path benchmarks, String report) throws IOException {
    BenchmarksFile.replaceSection(benchmarks, SECTION, section(report));
  }

  private static String section(String report) {
    // The report's own title becomes a third-level heading under the section.
    String latest = report.replaceFirst("^# ", "### Latest: ");
    return """
        %s

        Retry amplification and availability while the primary deployment browns out (50 %% of \
        its calls answer 503, latency spikes): Ballast's default resilience chain, the same with a \
        breaker that never opens, and a naive configuration (3 retries, no retry budget, no \
        breaker), same run; then streams cut mid-answer (5 %% of the primary's), with and without \
        stream continuation. Reproduce with:

        ```
        bash bench/brownout.sh
        ```

        (`BROWNOUT_RATE` requests/s per configuration, default 50; `BROWNOUT_DURATION` seconds per \
        configuration, default 60; `BROWNOUT_WARMUP` seconds, default 5; JVM flags via \
        `BROWNOUT_JAVA_OPTS`.) Every run writes `bench/results/brownout-<date>.md`; the latest is \
        copied below.

        %s"""
        .formatted(SECTION, latest);
  }

  private static String firstLineValue(Path file, String key) {
    try (var lines = Files.lines(file)) {
      return lines
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String firstField(Path file) {
    try {
      return Files.readString(file).strip().split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
