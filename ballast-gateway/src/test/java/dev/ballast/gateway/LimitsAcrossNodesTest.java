package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import dev.ballast.testkit.Postgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one PostgreSQL share their tenants' limits: concurrent calls through both,
 * over real HTTP with a simulator upstream on a real socket, never spend more than the budget nor
 * admit more than the requests per minute (the bounds are in {@code docs/limits.md}: none while the
 * nodes live, when every call states {@code max_tokens}).
 */
class LimitsAcrossNodesTest {
  static final double BUDGET = 0.1;
  static final int RPM = 10;
  static String base;
  static String schema;
  static Simulator simulator;
  static SimulatorServer upstream;
  static Gateway one;
  static Gateway two;

  @BeforeAll
  static void start() throws Exception {
    base = Postgres.requireAvailable();
    schema = Postgres.newSchema("ballast_nodes_");
    simulator = Simulator.create();
    upstream = simulator.server(0);
    one = node();
    two = node();
  }

  @AfterAll
  static void stop() {
    if (one != null) {
      one.close();
    }
    if (two != null) {
      two.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    Postgres.dropSchema(base, schema);
  }

  static Gateway node() throws Exception {
    String yaml =
        """
        server: {port: 0}
        store: {url: "%s&schema=%s"}
        providers:
          up: {type: simulator, base_url: "%s/v1"}
        deployments:
          priced: {provider: up, model: sim, price: {input: 1000, output: 1000}}
          slow-priced: {provider: up, model: "sim:latency=200ms", price: {input: 1000, output: 1000}}
        groups:
          default: {deployments: [priced]}
          slow: {deployments: [slow-priced]}
        tenants:
          spender: {keys: ["%s"], limits: {budget_usd: %s}}
          caller: {keys: ["%s"], limits: {requests_per_minute: %d}}
        """
            .formatted(
                base,
                schema,
                upstream.baseUri().toString().replaceAll("/$", ""),
                ConfigLoader.hashKey("bk-spender"),
                BUDGET,
                ConfigLoader.hashKey("bk-caller"),
                RPM);
    BallastConfig config = ConfigLoader.parse("nodes", yaml, Map.of());
    return Gateway.start(
        config.withServer(config.server().withDataDir(Files.createTempDirectory("ballast-node-"))));
  }

  /** Half the calls through each node, all at once. */
  static List<HttpResponse<String>> throughBoth(int calls, String key, int maxTokens)
      throws Exception {
    LimitsClient a = new LimitsClient(one);
    LimitsClient b = new LimitsClient(two);
    List<Callable<HttpResponse<String>>> each = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      LimitsClient client = i % 2 == 0 ? a : b;
      each.add(() -> client.chat(key, maxTokens, "slow"));
    }
    int[] next = {0};
    return SpendingPathsSuite.concurrently(
        calls,
        () -> {
          Callable<HttpResponse<String>> call;
          synchronized (next) {
            call = each.get(next[0]++);
          }
          return call.call();
        });
  }

  @Test
  void concurrentCallsOnTwoNodesNeverSpendMoreThanTheBudget() throws Exception {
    List<HttpResponse<String>> all = throughBoth(40, "bk-spender", 16);

    List<HttpResponse<String>> answered = all.stream().filter(r -> r.statusCode() == 200).toList();
    double spent = SpendingPathsSuite.spent(answered);
    System.out.printf(
        "limits: %d of 40 calls on two nodes answered, USD %.4f spent of a USD %.2f budget%n",
        answered.size(), spent, BUDGET);
    assertThat(answered).isNotEmpty();
    assertThat(spent).isLessThanOrEqualTo(BUDGET);
    assertThat(all)
        .filteredOn(r -> r.statusCode() != 200)
        .isNotEmpty()
        .allSatisfy(r -> SpendingPathsSuite.assertBudgetRefusal(r, false));
  }

  @Test
  void concurrentCallsOnTwoNodesShareTheRequestsPerMinute() throws Exception {
    List<HttpResponse<String>> all = throughBoth(40, "bk-caller", 1);

    long admitted = all.stream().filter(r -> r.statusCode() == 200).count();
    System.out.printf(
        "limits: %d of 40 calls on two nodes admitted under %d requests per minute%n",
        admitted, RPM);
    assertThat(admitted).isBetween(1L, (long) RPM);
    assertThat(all)
        .filteredOn(r -> r.statusCode() != 200)
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
              assertThat(json(r.body()).at("/error/code").asText())
                  .isEqualTo("tenant_requests_per_minute_exceeded");
              assertThat(r.headers().firstValue("retry-after")).isPresent();
            });
  }
}
