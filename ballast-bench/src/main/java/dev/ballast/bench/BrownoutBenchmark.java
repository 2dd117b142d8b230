package dev.ballast.bench;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.gateway.Gateway;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The brownout benchmark: a fixed request rate while the primary deployment answers 503 to half of
 * its requests and its latency spikes, through Ballast's default resilience chain, the same with a
 * breaker that never opens, and a naive configuration (3 retries, no retry budget, a breaker that
 * never opens), in one run. Reports upstream attempts per client request, the share answered and
 * latency.
 *
 * <p>Everything runs in this JVM on 127.0.0.1: one {@link SimulatorServer} as the upstream (real
 * sockets), and one gateway per configuration, each started, loaded and stopped in turn. The two
 * configurations call distinct upstream model names, so the simulator's attempt log tells their
 * attempts apart.
 *
 * <p>Usage: {@code BrownoutBenchmark [--out FILE.md] [--benchmarks BENCHMARKS.md] [--commit SHA]};
 * environment {@code BROWNOUT_RATE} (requests/s per configuration, default 50), {@code
 * BROWNOUT_DURATION} (seconds per configuration, default 60), {@code BROWNOUT_WARMUP} (seconds of
 * healthy traffic through a throw-away gateway first, default 5). See bench/brownout.sh.
 */
public final class BrownoutBenchmark {
  static final String KEY = "bk-bench-brownout";
  static final String PRIMARY = "sim:error=0.5@503,latency=p50:20ms/p99:300ms";
  static final String FALLBACK = "sim:latency=20ms..40ms";
  static final String GROUP = "chat";

  /** The attempt log keeps this many attempts; a run that needs more cannot be counted. */
  private static final int SIMULATOR_LOG_CAPACITY = 100_000;

  private static final String BODY =
      """
      {"model":"%s","messages":[{"role":"user","content":"Summarise the brownout."}],\
      "max_tokens":16}"""
          .formatted(GROUP);

  /**
   * One gateway configuration under test.
   *
   * @param name the configuration's name in the report
   * @param resilienceYaml the gateway's {@code resilience:} section, empty for the defaults
   * @param tokens the answer length; it only makes the upstream model names distinct
   */
  record Contender(String name, String resilienceYaml, int tokens) {
    String primaryModel() {
      return PRIMARY + ",tokens=" + tokens;
    }

    String fallbackModel() {
      return FALLBACK + ",tokens=" + tokens;
    }
  }

  /** Ballast as shipped: every resilience setting at its default. */
  static final Contender BALLAST = new Contender("ballast", "", 8);

  /**
   * Ballast's defaults with a breaker that never opens: what failover before retry and the retry
   * budget achieve on their own, while the brownout never trips the breaker.
   */
  static final Contender NO_BREAKER =
      new Contender(
          "ballast-no-breaker",
          """
          resilience:
            breaker: {failure_rate: 100, window: 100000}
          """,
          10);

  /** What many gateways are configured to do: retry three times, unbudgeted, never trip. */
  static final Contender NAIVE =
      new Contender(
          "naive",
          """
          resilience:
            max_retries_per_deployment: 3
            retry_budget: {ratio: 1.0, floor_per_second: 10000}
            breaker: {failure_rate: 100, window: 100000}
          """,
          9);

  private static final Contender WARMUP = new Contender("warmup", "", 7);

  static final String STREAM_GROUP = "stream";

  /**
   * The streaming rows' primary: 64 tokens 2 ms apart, and 5 % of its streams cut after 8 tokens
   * (the connection closed without the stream's end).
   */
  static final String STREAM_PRIMARY =
      "sim:tokens=64,token_delay=2ms,cut_after=8,fault_rate=0.05,latency=20ms..40ms";

  /** The streaming rows' fallback: the same answer, never cut. */
  static final String STREAM_FALLBACK = "sim:tokens=64,token_delay=2ms,latency=20ms..40ms";

  /**
   * A streaming configuration: Ballast's defaults, with or without stream continuation.
   *
   * @param groupYaml extra settings of the streaming group
   * @param tag makes the upstream model names distinct, like {@link Contender#tokens}
   */
  record StreamContender(String name, String groupYaml, int tag) {
    String primaryModel() {
      return STREAM_PRIMARY + ",model_id=stream-" + tag;
    }

    String fallbackModel() {
      return STREAM_FALLBACK + ",model_id=stream-" + tag;
    }
  }

  /** Ballast as shipped: a stream cut mid-answer is continued on the fallback. */
  static final StreamContender STREAM_CUTS = new StreamContender("stream-cuts", "", 1);

  /** The same without continuation: what a cut stream was before (an error event). */
  static final StreamContender STREAM_CUTS_NO_CONTINUATION =
      new StreamContender("stream-cuts-no-continuation", ", continue_streams: false", 2);

  private static final String STREAM_BODY =
      """
      {"model":"%s","stream":true,\
      "messages":[{"role":"user","content":"Summarise the brownout."}]}"""
          .formatted(STREAM_GROUP);

  /** Everything one run measured. */
  record Results(List<BrownoutResult> requests, List<BrownoutStreamResult> streams) {}

  /**
   * How hard and how long to load each configuration.
   *
   * @param rate client requests per second, per configuration
   * @param duration how long each configuration is loaded
   * @param warmup how long a throw-away gateway serves healthy traffic first, so that the first
   *     configuration measured does not pay for JIT compilation (zero to skip)
   * @param requestTimeout the client's timeout for one request
   */
  record Settings(int rate, Duration duration, Duration warmup, Duration requestTimeout) {
    Settings {
      if (rate < 1 || rate > 2_000) {
        throw new IllegalArgumentException("rate must be between 1 and 2000/s, but was " + rate);
      }
      if (duration.isNegative() || duration.isZero() || duration.toSeconds() > 3_600) {
        throw new IllegalArgumentException(
            "duration must be between 1 s and 1 h, but was " + duration);
      }
      if (warmup.isNegative() || warmup.toSeconds() > 600) {
        throw new IllegalArgumentException("warmup must be between 0 and 600 s, but was " + warmup);
      }
    }

    static Settings fromEnvironment(Map<String, String> env) {
      return new Settings(
          Integer.parseInt(env.getOrDefault("BROWNOUT_RATE", "50")),
          Duration.ofSeconds(Long.parseLong(env.getOrDefault("BROWNOUT_DURATION", "60"))),
          Duration.ofSeconds(Long.parseLong(env.getOrDefault("BROWNOUT_WARMUP", "5"))),
          Duration.ofSeconds(30));
    }
  }

  private BrownoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Settings settings = Settings.fromEnvironment(System.getenv());
    Path out = Path.of(options.getOrDefault("--out", "brownout.md"));
    System.err.printf(
        "brownout: %d req/s, %d s per configuration, %d s warm-up%n",
        settings.rate(), settings.duration().toSeconds(), settings.warmup().toSeconds());
    BrownoutReport.Facts facts = BrownoutReport.Facts.ofThisMachine(options.get("--commit"));
    Results results = run(settings);
    String report = BrownoutReport.markdown(settings, results, facts);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.print(report);
    if (options.containsKey("--benchmarks")) {
      BrownoutReport.updateBenchmarks(Path.of(options.get("--benchmarks")), report);
    }
    System.err.println("brownout: wrote " + out);
  }

  /** Runs the warm-up, then each configuration in turn; returns one result per configuration. */
  static Results run(Settings settings) throws InterruptedException, IOException {
    Path work = Files.createTempDirectory("ballast-brownout");
    Simulator simulator = new Simulator(Simulator.DEFAULT_SEED, Clock.systemUTC(), Map.of());
    try (SimulatorServer upstream = simulator.server(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      OpenLoopLoad load = new OpenLoopLoad(http, settings.requestTimeout());
      if (!settings.warmup().isZero()) {
        measure(WARMUP, settings.rate(), settings.warmup(), upstream, simulator, load, work);
      }
      List<BrownoutResult> results = new ArrayList<>();
      for (Contender contender : List.of(BALLAST, NO_BREAKER, NAIVE)) {
        System.err.println("brownout: loading " + contender.name());
        results.add(
            measure(
                contender, settings.rate(), settings.duration(), upstream, simulator, load, work));
      }
      List<BrownoutStreamResult> streams = new ArrayList<>();
      for (StreamContender contender : List.of(STREAM_CUTS, STREAM_CUTS_NO_CONTINUATION)) {
        System.err.println("brownout: loading " + contender.name());
        streams.add(measureStreams(contender, settings, upstream, simulator, load, work));
      }
      if (simulator.attempts().size() >= SIMULATOR_LOG_CAPACITY) {
        throw new IllegalStateException(
            "the simulator's attempt log overflowed; lower BROWNOUT_RATE or BROWNOUT_DURATION");
      }
      return new Results(results, streams);
    } finally {
      deleteRecursively(work);
    }
  }

  private static BrownoutResult measure(
      Contender contender,
      int rate,
      Duration duration,
      SimulatorServer upstream,
      Simulator simulator,
      OpenLoopLoad load,
      Path work)
      throws InterruptedException, IOException {
    Path dataDir = Files.createDirectories(work.resolve(contender.name()));
    BallastConfig config =
        ConfigLoader.parse(contender.name(), yaml(contender, upstream), Map.of());
    OpenLoopLoad.Samples samples;
    Map<String, Integer> decisions;
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      URI uri = URI.create(gateway.baseUrl() + "/v1/chat/completions");
      samples = load.run(uri, "Bearer " + KEY, BODY, rate, duration);
      flushJournal(gateway);
      decisions = BrownoutJournal.failedDecisions(gateway.store().journal(), samples.runIds());
    }
    return BrownoutResult.of(
        contender.name(),
        samples,
        simulator.attempts(contender.primaryModel()).size(),
        simulator.attempts(contender.fallbackModel()).size(),
        decisions);
  }

  private static BrownoutStreamResult measureStreams(
      StreamContender contender,
      Settings settings,
      SimulatorServer upstream,
      Simulator simulator,
      OpenLoopLoad load,
      Path work)
      throws InterruptedException, IOException {
    Path dataDir = Files.createDirectories(work.resolve(contender.name()));
    BallastConfig config =
        ConfigLoader.parse(contender.name(), streamYaml(contender, upstream), Map.of());
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      URI uri = URI.create(gateway.baseUrl() + "/v1/chat/completions");
      OpenLoopLoad.Samples samples =
          load.run(uri, "Bearer " + KEY, STREAM_BODY, settings.rate(), settings.duration(), true);
      flushJournal(gateway);
      var journal = gateway.store().journal();
      var primary = simulator.attempts(contender.primaryModel());
      return BrownoutStreamResult.of(
          contender.name(),
          samples,
          runId -> BrownoutJournal.continued(journal, runId),
          primary.stream().filter(a -> a.outcome().equals("cut")).count(),
          primary.size(),
          simulator.attempts(contender.fallbackModel()).size());
    }
  }

  private static void flushJournal(Gateway gateway) {
    if (!gateway.journal().flush(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the journal did not catch up within 60 s");
    }
  }

  static String streamYaml(StreamContender contender, SimulatorServer upstream) {
    return """
        server: {host: 127.0.0.1, port: 0}
        providers:
          upstream: {type: openai, base_url: "%s/v1", api_key: "sk-bench"}
        deployments:
          primary: {provider: upstream, model: "%s"}
          fallback: {provider: upstream, model: "%s"}
        groups:
          %s: {deployments: [primary, fallback]%s}
        tenants:
          bench: {keys: ["%s"]}
        """
        .formatted(
            upstream.baseUri().toString().replaceAll("/$", ""),
            contender.primaryModel(),
            contender.fallbackModel(),
            STREAM_GROUP,
            contender.groupYaml(),
            ConfigLoader.hashKey(KEY));
  }

  static String yaml(Contender contender, SimulatorServer upstream) {
    return """
        server: {host: 127.0.0.1, port: 0}
        %s
        providers:
          upstream: {type: openai, base_url: "%s/v1", api_key: "sk-bench"}
        deployments:
          primary: {provider: upstream, model: "%s"}
          fallback: {provider: upstream, model: "%s"}
        groups:
          %s: {deployments: [primary, fallback]}
        tenants:
          bench: {keys: ["%s"]}
        """
        .formatted(
            contender.resilienceYaml(),
            upstream.baseUri().toString().replaceAll("/$", ""),
            contender.primaryModel(),
            contender.fallbackModel(),
            GROUP,
            ConfigLoader.hashKey(KEY));
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: BrownoutBenchmark [--out FILE.md] [--benchmarks BENCHMARKS.md] [--commit SHA]");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
