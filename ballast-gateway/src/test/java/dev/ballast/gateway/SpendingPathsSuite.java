package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant that tries to spend past its budget through every path that spends — chat, messages,
 * embeddings, a pipeline, a what-if replay — is refused on each, over real HTTP with a simulator
 * upstream on a real socket; and a budget holds under concurrency and across a restart (see {@code
 * docs/limits.md}). Run on SQLite and on PostgreSQL by the subclasses. Each test spends as a tenant
 * of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpendingPathsSuite {
  static final Duration WAIT = Duration.ofSeconds(20);

  Simulator simulator;
  SimulatorServer upstream;
  Gateway gateway;
  LimitsClient client;
  Path dataDir;

  /** The store URL every gateway of the class opens; {@code dataDir} is the class's own. */
  abstract String storeUrl();

  /** Drops what {@link #storeUrl} created. */
  void dropStore() {}

  /** A store URL no other gateway of the class uses, for a node whose runs nobody may claim. */
  abstract String isolatedStoreUrl();

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("ballast-limits-");
    simulator = Simulator.create();
    upstream = simulator.server(0);
    gateway = startGateway(dataDir, "both");
    client = new LimitsClient(gateway);
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstream.close();
    dropStore();
  }

  static String key(String tenant) {
    return "bk-limits-" + tenant;
  }

  Gateway startGateway(Path dir, String role) {
    return startGateway(dir, role, storeUrl());
  }

  Gateway startGateway(Path dir, String role, String storeUrl) {
    Map<String, String> limits = new java.util.LinkedHashMap<>();
    for (String spender : List.of("chat", "messages", "embed", "pipe", "whatif", "restart")) {
      limits.put(spender, "{limits: {budget_usd: 0.05}}");
    }
    limits.put("concurrent", "{limits: {budget_usd: 0.1}}");
    limits.put("batchy", "{priority: batch}");
    limits.put("free", "{capture: true}");
    limits.put("flood", "{limits: {max_queued_runs: 3, pipeline_priority: {min: -5, max: 5}}}");
    StringBuilder tenants = new StringBuilder();
    limits.forEach(
        (tenant, section) ->
            tenants
                .append("  ")
                .append(tenant)
                .append(": ")
                .append(
                    section.replaceFirst(
                        "\\{", "{keys: [\"" + ConfigLoader.hashKey(key(tenant)) + "\"], "))
                .append("\n"));
    String yaml =
        """
        server: {port: 0, role: %s}
        store: {url: "%s"}
        providers:
          up: {type: simulator, base_url: "%s/v1"}
        deployments:
          priced: {provider: up, model: sim, price: {input: 1000, output: 1000}}
          slow-priced: {provider: up, model: "sim:latency=200ms", price: {input: 1000, output: 1000}}
          vectors: {provider: up, model: sim-embed, price: {input: 1000, output: 0}}
        groups:
          default: {deployments: [priced]}
          slow: {deployments: [slow-priced]}
          embeddings: {deployments: [vectors]}
        tenants:
        %s
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          ask: {system: "Answer.", user: "{{input.q}}"}
        pipelines:
          two-calls:
            stages:
              - {name: first, type: generate, group: default, prompt: ask, max_tokens: 4,
                 timeout: 10s}
              - {name: second, type: generate, group: default, prompt: ask, max_tokens: 4,
                 timeout: 10s}
        """
            .formatted(
                role,
                storeUrl,
                upstream.baseUri().toString().replaceAll("/$", ""),
                tenants.toString().stripTrailing());
    BallastConfig config = ConfigLoader.parse("limits", yaml, Map.of());
    return Gateway.start(config.withServer(config.server().withDataDir(dir)));
  }

  /** Calls until one is refused; the calls answered, in order. */
  static List<HttpResponse<String>> untilRefused(
      java.util.function.Supplier<HttpResponse<String>> call, List<HttpResponse<String>> refused) {
    List<HttpResponse<String>> answered = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> r = call.get();
      if (r.statusCode() != 200) {
        refused.add(r);
        return answered;
      }
      answered.add(r);
    }
    throw new AssertionError("100 calls and no refusal");
  }

  static double spent(List<HttpResponse<String>> answered) {
    return answered.stream().mapToDouble(LimitsClient::cost).sum();
  }

  static void assertBudgetRefusal(HttpResponse<String> refused, boolean anthropic) {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
    JsonNode body = json(refused.body());
    if (anthropic) {
      assertThat(body.at("/error/message").asText()).contains("budget");
    } else {
      assertThat(body.at("/error/code").asText()).isEqualTo("budget_exceeded");
    }
  }

  @Test
  void chatCompletionsStopAtTheBudget() {
    List<HttpResponse<String>> refused = new ArrayList<>();
    int before = simulator.attempts().size();

    List<HttpResponse<String>> answered = untilRefused(() -> client.chat(key("chat"), 4), refused);

    assertThat(answered).isNotEmpty();
    assertThat(spent(answered)).isLessThanOrEqualTo(0.05);
    assertBudgetRefusal(refused.getFirst(), false);
    assertThat(simulator.attempts().size() - before).isEqualTo(answered.size());
  }

  @Test
  void anthropicMessagesStopAtTheBudget() {
    List<HttpResponse<String>> refused = new ArrayList<>();

    List<HttpResponse<String>> answered =
        untilRefused(() -> client.messages(key("messages"), 4), refused);

    assertThat(answered).isNotEmpty();
    assertThat(spent(answered)).isLessThanOrEqualTo(0.05);
    assertBudgetRefusal(refused.getFirst(), true);
  }

  @Test
  void embeddingsStopAtTheBudget() {
    List<HttpResponse<String>> refused = new ArrayList<>();

    List<HttpResponse<String>> answered =
        untilRefused(() -> client.embeddings(key("embed")), refused);

    assertThat(answered).isNotEmpty();
    assertThat(spent(answered)).isLessThanOrEqualTo(0.05);
    assertBudgetRefusal(refused.getFirst(), false);
  }

  /**
   * The regression this suite exists for: twenty calls at once used to be admitted together against
   * a budget none of them had been billed to yet (2.3 times the budget spent). Each now reserves
   * its largest cost first.
   */
  @Test
  void twentyConcurrentCallsStayWithinTheBudget() throws Exception {
    List<HttpResponse<String>> all =
        concurrently(20, () -> client.chat(key("concurrent"), 16, "slow"));

    List<HttpResponse<String>> answered = all.stream().filter(r -> r.statusCode() == 200).toList();
    System.out.printf(
        "limits: %d of 20 concurrent calls answered, USD %.4f spent of a USD 0.10 budget%n",
        answered.size(), spent(answered));
    assertThat(answered).isNotEmpty();
    assertThat(spent(answered)).isLessThanOrEqualTo(0.1);
    assertThat(all)
        .filteredOn(r -> r.statusCode() != 200)
        .allSatisfy(r -> assertBudgetRefusal(r, false));
  }

  /**
   * A run that meets the spent budget stops at a stage boundary, dead with {@code budget_exceeded};
   * its first stage stays done and a resume takes it back to the stage that stopped; a new
   * submission is refused with 402.
   */
  @Test
  void aPipelineRunStopsAtAStageBoundaryWhenTheBudgetIsSpent() {
    PipelineGateway runs = new PipelineGateway(gateway, key("pipe"));
    JsonNode dead = null;
    for (int i = 0; i < 30 && dead == null; i++) {
      String runId = runs.submit("two-calls", "{\"q\":\"hi\"}");
      JsonNode run = awaitEnd(runs, runId);
      if (run.get("state").asText().equals("dead")) {
        dead = run;
      } else {
        assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("succeeded");
      }
    }

    assertThat(dead).as("the budget ran out within 30 runs").isNotNull();
    assertThat(dead.get("error").asText()).contains("budget_exceeded");
    assertThat(dead.get("failed_stage").asText()).isIn("first", "second");
    HttpResponse<String> resumed =
        runs.post("/v1/pipelines/runs/" + dead.get("id").asText() + "/resume", "{}");
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
    assertThat(awaitEnd(runs, dead.get("id").asText()).get("state").asText()).isEqualTo("dead");
    // Once the budget cannot pay for a call, a new run spends nothing: refused with 402 when
    // nothing at all is left, else stopped at its first call.
    int before = simulator.attempts().size();
    HttpResponse<String> again =
        runs.post("/v1/pipelines/two-calls/runs", "{\"input\":{\"q\":\"hi\"}}");
    if (again.statusCode() == 402) {
      assertBudgetRefusal(again, false);
    } else {
      assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
      JsonNode stopped = awaitEnd(runs, json(again.body()).get("id").asText());
      assertThat(stopped.get("state").asText()).isEqualTo("dead");
      assertThat(stopped.get("error").asText()).contains("budget_exceeded");
    }
    assertThat(simulator.attempts()).hasSize(before);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(gateway.store().limits().used("pipe", LimitKind.SPEND, Instant.now()))
                    .isPositive()
                    .isLessThanOrEqualTo(LimitKind.nanoUsd(0.05)));
  }

  /**
   * A what-if's overridden call goes live as its tenant's call: once the budget has no room for it,
   * it is refused (402 before the replay starts when nothing at all is left; otherwise the call is
   * refused at admission and the report names {@code budget_exceeded}), and nothing reaches the
   * provider.
   */
  @Test
  void aWhatIfReplayCannotSpendPastTheBudget() {
    List<HttpResponse<String>> refused = new ArrayList<>();
    List<HttpResponse<String>> answered =
        untilRefused(() -> client.chat(key("whatif"), 4), refused);
    String recorded = answered.getFirst().headers().firstValue("x-ballast-run-id").orElseThrow();
    gateway.journal().flush(WAIT);
    int before = simulator.attempts().size();

    HttpResponse<String> whatIf =
        client.post(
            "/v1/ballast/runs/" + recorded + "/replay",
            key("whatif"),
            "{\"group\":\"default\"}",
            Map.of());

    if (whatIf.statusCode() == 402) {
      assertBudgetRefusal(whatIf, false);
    } else {
      assertThat(whatIf.statusCode()).as(whatIf.body()).isEqualTo(200);
      assertThat(whatIf.body()).contains("budget_exceeded");
    }
    assertThat(simulator.attempts()).hasSize(before);
  }

  @Test
  void aRestartKeepsTheSpend() throws Exception {
    Path dir = Files.createTempDirectory("ballast-restart-");
    Gateway first = startGateway(dir, "both");
    List<HttpResponse<String>> refused = new ArrayList<>();
    List<HttpResponse<String>> answered;
    try {
      answered = untilRefused(() -> new LimitsClient(first).chat(key("restart"), 4), refused);
    } finally {
      first.close();
    }
    Gateway second = startGateway(dir, "both");
    try {
      assertBudgetRefusal(new LimitsClient(second).chat(key("restart"), 4), false);
      // The stored spend is the calls' costs, each rounded up to a nano-dollar.
      long stored = second.store().limits().used("restart", LimitKind.SPEND, Instant.now());
      long billed = answered.stream().mapToLong(r -> LimitKind.nanoUsd(LimitsClient.cost(r))).sum();
      assertThat(stored).isBetween(billed, billed + answered.size());
      assertThat(stored).isLessThanOrEqualTo(LimitKind.nanoUsd(0.05));
    } finally {
      second.close();
    }
  }

  @Test
  void aRequestMayLowerItsPriorityButNeverRaiseItAboveItsTenants() {
    HttpResponse<String> raised =
        client.post(
            "/v1/chat/completions",
            key("batchy"),
            "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Map.of("x-ballast-priority", "interactive"));
    HttpResponse<String> lowered =
        client.post(
            "/v1/chat/completions",
            key("free"),
            "{\"model\":\"default\",\"max_tokens\":1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Map.of("x-ballast-priority", "batch"));

    assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
    assertThat(raised.headers().firstValue("x-ballast-priority")).hasValue("batch");
    assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
    assertThat(lowered.headers().firstValue("x-ballast-priority")).hasValue("batch");
  }

  /**
   * On a node that executes nothing (so submitted runs stay queued), a tenant flooding the queue
   * gets a 429 with Retry-After once it has its quota of queued runs, and the priorities it asks
   * for are clamped into its range.
   */
  @Test
  void floodingTheQueueIsRefusedAndPrioritiesAreClamped() throws Exception {
    Gateway api =
        startGateway(Files.createTempDirectory("ballast-flood-"), "gateway", isolatedStoreUrl());
    try {
      PipelineGateway runs = new PipelineGateway(api, key("flood"));
      String high = body("{\"q\":\"hi\"}", 1000);
      String low = body("{\"q\":\"hi\"}", -1000);

      HttpResponse<String> first = runs.post("/v1/pipelines/two-calls/runs", high);
      HttpResponse<String> second = runs.post("/v1/pipelines/two-calls/runs", low);
      HttpResponse<String> third = runs.post("/v1/pipelines/two-calls/runs", body("{}", 3));
      HttpResponse<String> fourth = runs.post("/v1/pipelines/two-calls/runs", body("{}", 0));

      assertThat(List.of(first, second, third))
          .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
      assertThat(json(first.body()).get("priority").asInt()).isEqualTo(5);
      assertThat(json(second.body()).get("priority").asInt()).isEqualTo(-5);
      assertThat(json(third.body()).get("priority").asInt()).isEqualTo(3);
      assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(429);
      assertThat(json(fourth.body()).at("/error/code").asText()).isEqualTo("tenant_queue_full");
      assertThat(json(fourth.body()).at("/error/message").asText())
          .contains("tenants.flood.limits.max_queued_runs");
      assertThat(fourth.headers().firstValue("retry-after")).isPresent();
      assertThat(
              new PipelineGateway(api, key("batchy"))
                  .post("/v1/pipelines/two-calls/runs", body("{}", 0))
                  .statusCode())
          .as("another tenant's quota is its own")
          .isEqualTo(201);
    } finally {
      api.close();
    }
  }

  private static String body(String input, int priority) {
    return "{\"input\":" + input + ",\"priority\":" + priority + "}";
  }

  static JsonNode awaitEnd(PipelineGateway runs, String runId) {
    JsonNode[] last = {null};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              HttpResponse<String> r = runs.get("/v1/pipelines/runs/" + runId);
              last[0] = json(r.body());
              String state = last[0].path("state").asText();
              return state.equals("succeeded") || state.equals("dead") || state.equals("failed");
            });
    return last[0];
  }

  static List<HttpResponse<String>> concurrently(
      int calls, java.util.concurrent.Callable<HttpResponse<String>> call) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < calls; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.call();
                }));
      }
      go.countDown();
      List<HttpResponse<String>> all = new ArrayList<>();
      for (Future<HttpResponse<String>> f : futures) {
        all.add(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
