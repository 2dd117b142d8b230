package dev.ballast.bench;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load spreading under skewed latency: a group of two healthy deployments, the first configured
 * slow (150–250 ms to its first token) and the second fast (20–40 ms), loaded at a fixed arrival
 * rate with streamed chat completions under each {@code strategy}. Reports the time to the last
 * byte (from the scheduled send) and the share of calls each deployment took. The simulator over
 * real sockets is the upstream; one gateway per strategy, one after the other, each first warmed
 * (and, for {@code latency}, taught) by a few seconds of the same load.
 *
 * <pre>bash bench/skew.sh</pre>
 */
public final class SkewedLatencyBenchmark {
  private static final String KEY = "bk-bench-skew";
  private static final String SLOW = "sim:tokens=16,token_delay=1ms,latency=150ms..250ms";
  private static final String FAST = "sim:tokens=16,token_delay=1ms,latency=20ms..40ms";
  private static final String BODY =
      """
      {"model":"skew","stream":true,\
      "messages":[{"role":"user","content":"Summarise the skew."}]}""";

  /** A strategy measured, with the group settings it needs. */
  record Strategy(String name, String groupYaml) {}

  static final List<Strategy> STRATEGIES =
      List.of(
          new Strategy("ordered", ""),
          new Strategy("weighted", ", strategy: weighted, weights: {slow: 1, fast: 3}"),
          new Strategy("least_busy", ", strategy: least_busy"),
          new Strategy("latency", ", strategy: latency"));

  record Row(String strategy, BrownoutResult result) {
    double fastShare() {
      long all = result.attempts();
      return all == 0 ? 0 : (double) result.fallbackAttempts() / all;
    }
  }

  private SkewedLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(System.getenv().getOrDefault("SKEW_RATE", "50"));
    Duration duration =
        Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("SKEW_DURATION", "30")));
    Duration warmup = Duration.ofSeconds(5);
    Path out = Path.of(args.length > 1 && args[0].equals("--out") ? args[1] : "skew.md");
    Path work = Files.createTempDirectory("ballast-skew");
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, Clock.systemUTC(), Map.of());
    List<Row> rows = new ArrayList<>();
    try (SimulatorServer upstream = simulator.server(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      OpenLoopLoad load = new OpenLoopLoad(http, Duration.ofSeconds(30));
      int tag = 0;
      for (Strategy strategy : STRATEGIES) {
        tag++;
        System.err.println("skew: loading " + strategy.name());
        rows.add(measure(strategy, tag, rate, warmup, duration, upstream, simulator, load, work));
      }
    }
    String report = report(rows, rate, duration);
    Files.writeString(out, report);
    System.out.print(report);
  }

  private static Row measure(
      Strategy strategy,
      int tag,
      int rate,
      Duration warmup,
      Duration duration,
      SimulatorServer upstream,
      Simulator simulator,
      OpenLoopLoad load,
      Path work)
      throws InterruptedException, IOException {
    String slow = SLOW + ",model_id=slow-" + tag;
    String fast = FAST + ",model_id=fast-" + tag;
    String yaml =
        """
        server: {host: 127.0.0.1, port: 0}
        providers:
          upstream: {type: openai, base_url: "%s/v1", api_key: "sk-bench"}
        deployments:
          slow: {provider: upstream, model: "%s"}
          fast: {provider: upstream, model: "%s"}
        groups:
          skew: {deployments: [slow, fast]%s}
        tenants:
          bench: {keys: ["%s"]}
        """
            .formatted(
                upstream.baseUri().toString().replaceAll("/$", ""),
                slow,
                fast,
                strategy.groupYaml(),
                ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse(strategy.name(), yaml, Map.of());
    Path dataDir = Files.createDirectories(work.resolve(strategy.name()));
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      URI uri = URI.create(gateway.baseUrl() + "/v1/chat/completions");
      load.run(uri, "Bearer " + KEY, BODY, rate, warmup);
      int slowBefore = simulator.attempts(slow).size();
      int fastBefore = simulator.attempts(fast).size();
      OpenLoopLoad.Samples samples = load.run(uri, "Bearer " + KEY, BODY, rate, duration);
      return new Row(
          strategy.name(),
          BrownoutResult.of(
              strategy.name(),
              samples,
              simulator.attempts(slow).size() - slowBefore,
              simulator.attempts(fast).size() - fastBefore));
    }
  }

  static String report(List<Row> rows, int rate, Duration duration) {
    StringBuilder md = new StringBuilder();
    md.append("# Load spreading under skewed latency\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Group `skew` = [slow, fast], both healthy: `slow` answers its first token after"
                + " 150–250 ms, `fast` after 20–40 ms (16 tokens 1 ms apart each). Streamed chat"
                + " completions at a fixed arrival rate of %d/s for %d s per strategy (open loop;"
                + " time to the last byte from the scheduled send), after 5 s of the same load"
                + " that warms the gateway and teaches `latency` the deployments' first-token"
                + " times. The simulator over real sockets on 127.0.0.1 is the upstream.%n%n",
            rate,
            duration.toSeconds()));
    md.append(
        "| strategy | requests | answered % | share to fast | p50 ms | p99 ms | max ms |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      BrownoutResult r = row.result();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.1f %% | %.1f | %.1f | %.1f |%n",
              row.strategy(),
              r.requests(),
              100 * r.answeredShare(),
              100 * row.fastShare(),
              r.latencyMillis(50),
              r.latencyMillis(99),
              r.maxLatencyMillis()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%n- ordered: the configured order (slow first); weighted: `weights: {slow: 1, fast:"
                + " 3}`; least_busy: the fewest calls in flight; latency: the lowest median time"
                + " to first token once measured.%n- Machine: %d CPUs; load average %s.%n",
            Runtime.getRuntime().availableProcessors(),
            loadAverage()));
    return md.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
