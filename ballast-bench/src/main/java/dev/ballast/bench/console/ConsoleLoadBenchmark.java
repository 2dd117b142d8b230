package dev.ballast.bench.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.Gateway;
import dev.ballast.store.Stores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's load check (a benchmark, not a test): a store holding a million runs over a week
 * and one run whose tree has 501 nodes, a node serving it, and the time the console's reads take
 * through the HTTP API (and, with Chromium present, the time its pages take to render). Prints
 * Markdown and writes it to {@code --out}.
 */
public final class ConsoleLoadBenchmark {
  static final String ADMIN_KEY = "bk-bench-admin";
  static final String TENANT_KEY = "bk-bench-t0";
  private static final int REPEAT = 15;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ConsoleLoadBenchmark() {}

  /** One measured read: its samples in milliseconds and what it answered. */
  record Timing(String what, double[] millis, String note) {
    double p50() {
      return percentile(0.5);
    }

    double max() {
      return Arrays.stream(millis).max().orElse(0);
    }

    private double percentile(double p) {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = null;
    String commit = "unknown";
    int runs = 1_000_000;
    String backend = "sqlite";
    String pgUrl = "postgresql://127.0.0.1:5432/test?user=postgres";
    boolean browser = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--commit" -> commit = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--backend" -> backend = args[++i];
        case "--postgres" -> pgUrl = args[++i];
        case "--no-browser" -> browser = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    new ConsoleLoadBenchmark().run(runs, backend, pgUrl, browser, out, commit);
  }

  private void run(int runs, String backend, String pgUrl, boolean browser, Path out, String commit)
      throws Exception {
    Path dir = Files.createTempDirectory("ballast-bench-console");
    String schema = "console_bench_" + System.currentTimeMillis();
    String storeUrl = backend.equals("sqlite") ? "sqlite:" : pgUrl + "&schema=" + schema;
    Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    try (Store store = Stores.open(storeUrl, dir)) {
      ConsoleSeeder seeder = new ConsoleSeeder(store.journal());
      seeder.seed(runs, end, Duration.ofDays(7));
      seeder.tree(end.minusSeconds(30));
    }
    double seedSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.printf(Locale.ROOT, "seeded %,d runs in %.0f s%n", runs, seedSeconds);
    List<Timing> api = new ArrayList<>();
    List<Timing> pages = new ArrayList<>();
    Map<String, List<String>> plans;
    try (Gateway node = Gateway.start(config(dir, storeUrl))) {
      String base = node.baseUrl();
      loadAverage = loadAverage();
      api.addAll(apiTimings(base));
      plans = new QueryPlans(backend, storeUrl, dir).explain(end);
      if (browser && Files.isExecutable(Path.of("/usr/bin/chromium"))) {
        pages.addAll(new PageTimings(base, ADMIN_KEY, runs).measure());
      }
    }
    String md = markdown(runs, backend, seedSeconds, api, pages, plans, commit);
    System.out.println(md);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md);
    }
  }

  private static BallastConfig config(Path dir, String storeUrl) {
    String yaml =
        """
        server: {port: 0, role: gateway}
        store: {url: "%s"}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
          down: {provider: sim, model: "sim:status=503"}
          streamer: {provider: sim, model: sim}
        groups:
          default: {deployments: [sim]}
          failover: {deployments: [down, sim]}
          stream: {deployments: [streamer]}
        admins: [dev]
        tenants:
          dev: {keys: ["%s"]}
          t0: {keys: ["%s"]}
          t1: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000001"]}
          t2: {keys: ["sha256:0000000000000000000000000000000000000000000000000000000000000002"]}
        """
            .formatted(storeUrl, ConfigLoader.hashKey(ADMIN_KEY), ConfigLoader.hashKey(TENANT_KEY));
    BallastConfig config = ConfigLoader.parse("console-bench", yaml, Map.of());
    return config.withServer(config.server().withDataDir(dir));
  }

  private List<Timing> apiTimings(String base) throws Exception {
    List<Timing> timings = new ArrayList<>();
    JsonNode first = json(get(base, "/v1/ballast/runs?limit=50", ADMIN_KEY));
    // A cursor half-way through the week: a deep page, as if the operator had paged far back.
    JsonNode middle =
        json(
            get(
                base,
                "/v1/ballast/runs?limit=1&until="
                    + Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS),
                ADMIN_KEY));
    String deep = middle.get("next_cursor").asText();
    Map<String, String> reads = new LinkedHashMap<>();
    reads.put("runs: first page of 50, all tenants (admin)", "/v1/ballast/runs?limit=50");
    reads.put(
        "runs: page of 50 after a cursor 3.5 days back", "/v1/ballast/runs?limit=50&after=" + deep);
    reads.put(
        "runs: next page (cursor of the first)",
        "/v1/ballast/runs?limit=50&after=" + first.get("next_cursor").asText());
    reads.put("runs: tenant t0 (tenant key), first page", "@t0/v1/ballast/runs?limit=50");
    reads.put("runs: status=failed, first page", "/v1/ballast/runs?limit=50&status=failed");
    reads.put(
        "runs: model=failover & error_class=timeout",
        "/v1/ballast/runs?limit=50&model=failover&error_class=timeout");
    reads.put(
        "run tree: 501 nodes (`/runs/{id}/trace`)",
        "/v1/ballast/runs/" + ConsoleSeeder.TREE_RUN + "/trace");
    reads.put("run: 501-node run with its journal", "/v1/ballast/runs/" + ConsoleSeeder.TREE_RUN);
    for (String window : List.of("15m", "1h", "24h", "7d")) {
      reads.put("stats: by group, window " + window, "/v1/ballast/stats?by=group&window=" + window);
      reads.put(
          "stats: by deployment, window " + window,
          "/v1/ballast/stats?by=deployment&window=" + window);
    }
    reads.put(
        "stats: by group, 7d, tenant t0 (tenant key)", "@t0/v1/ballast/stats?by=group&window=7d");
    reads.put("pipeline stats", "/v1/ballast/stats/pipelines");
    for (var read : reads.entrySet()) {
      String path = read.getValue();
      String key = ADMIN_KEY;
      if (path.startsWith("@t0")) {
        path = path.substring(3);
        key = TENANT_KEY;
      }
      timings.add(time(base, read.getKey(), path, key));
    }
    return timings;
  }

  private Timing time(String base, String what, String path, String key) throws Exception {
    HttpResponse<String> warm = get(base, path, key);
    if (warm.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + warm.statusCode() + ": " + warm.body());
    }
    get(base, path, key);
    double[] samples = new double[REPEAT];
    int bytes = 0;
    for (int i = 0; i < REPEAT; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = get(base, path, key);
      samples[i] = (System.nanoTime() - t) / 1e6;
      bytes = r.body().length();
    }
    Timing timing = new Timing(what, samples, String.format(Locale.ROOT, "%,d bytes", bytes));
    System.err.printf(
        Locale.ROOT, "%s: p50 %.1f ms, max %.1f ms%n", what, timing.p50(), timing.max());
    return timing;
  }

  private HttpResponse<String> get(String base, String path, String key)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(2))
            .header("authorization", "Bearer " + key)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
    }
    return Json.mapper().readTree(r.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String loadAverage = "unknown";

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String markdown(
      int runs,
      String backend,
      double seedSeconds,
      List<Timing> api,
      List<Timing> pages,
      Map<String, List<String>> plans,
      String commit) {
    StringBuilder md = new StringBuilder();
    md.append("# Console load check — ")
        .append(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
        .append(" (")
        .append(backend)
        .append(")\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d gateway runs spread evenly over 7 days (3 tenants, 4 model groups, one failing over,"
                + " one streaming, ~2%% failed) and one pipeline run whose tree has 501 nodes,"
                + " appended through the store's own append path in %.0f s. A node (role gateway)"
                + " serves them; each read is timed over %d requests after two warm-ups, one at a"
                + " time over loopback. Machine: %d CPUs, JVM %s, commit %s; load average at the"
                + " start of the reads %s (the machine is shared with other builds: treat the"
                + " numbers as an upper bound).%n%n",
            runs,
            seedSeconds,
            REPEAT,
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.runtime.version"),
            commit,
            loadAverage));
    md.append("| API read | p50 ms | max ms | answer |\n|---|---:|---:|---|\n");
    for (Timing t : api) {
      md.append(
          String.format(
              Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", t.what(), t.p50(), t.max(), t.note()));
    }
    if (!pages.isEmpty()) {
      md.append(
          "\nPages in Debian's Chromium (headless, 1280×800): from navigation to the page's data on"
              + " screen, 5 loads each.\n\n| page | p50 ms | max ms | |\n|---|---:|---:|---|\n");
      for (Timing t : pages) {
        md.append(
            String.format(
                Locale.ROOT, "| %s | %.0f | %.0f | %s |%n", t.what(), t.p50(), t.max(), t.note()));
      }
    }
    md.append("\nQuery plans at this size:\n\n");
    plans.forEach(
        (what, plan) -> {
          md.append("- ").append(what).append(":\n\n```\n");
          plan.forEach(line -> md.append(line).append('\n'));
          md.append("```\n");
        });
    return md.toString();
  }
}
