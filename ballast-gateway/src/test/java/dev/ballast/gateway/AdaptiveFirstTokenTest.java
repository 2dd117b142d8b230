package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive first-token timeouts over real sockets: a deployment that answered its recent streams
 * quickly gets a learned first-token timeout; when it then stalls before its first token, the call
 * fails over to the fallback after the learned timeout instead of waiting out the configured 30 s.
 */
class AdaptiveFirstTokenTest {
  // Five quick answers, then the first token takes 20 s.
  private static final String PRIMARY =
      "sim:first_token_delay=20ms,onset=5req,first_token_delay=20s";
  private static final String BACKUP = "sim:tokens=3";
  @TempDir Path dataDir;

  @Test
  void aStreamWaitsOnlyTheLearnedFirstTokenTimeoutWhenAFallbackExists() throws Exception {
    // The simulator as its own server, so the first-token timeout is the OpenAI adapter's.
    Simulator simulator = Simulator.create();
    try (SimulatorServer upstream = simulator.server(0)) {
      run(simulator, upstream);
    }
  }

  private void run(Simulator simulator, SimulatorServer upstream) throws Exception {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator, base_url: "%s"}
        deployments:
          primary: {provider: sim, model: "%s"}
          backup: {provider: sim, model: "%s"}
        groups:
          pair: {deployments: [primary, backup]}
        tenants:
          team: {keys: ["%s"]}
        resilience:
          adaptive_first_token: {floor: 500ms, min_samples: 5}
          breaker: {window: 1, failure_rate: 1}
        """
            .formatted(
                upstream.baseUri().toString().replaceAll("/$", "") + "/v1",
                PRIMARY,
                BACKUP,
                ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("adaptive", yaml, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
              .header("authorization", "Bearer " + KEY)
              .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("pair", true)));
      for (int i = 0; i < 5; i++) {
        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(200);
      }
      long start = System.nanoTime();
      HttpResponse<String> stalled =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(stalled.statusCode()).isEqualTo(200);
      assertThat(stalled.body()).endsWith("data: [DONE]\n\n");
      assertThat(simulator.attempts(BACKUP)).hasSize(1);
      // Far below the primary's 20 s (and the configured 30 s): generous for a loaded machine.
      assertThat(tookMs).isLessThan(10_000);
      // The primary kept its configured contract: the learned timeout is no breaker failure, so
      // (with a one-call breaker window) the next call still tries it first.
      assertThat(simulator.attempts(PRIMARY)).hasSize(6);
      assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(simulator.attempts(PRIMARY)).hasSize(7);
    }
  }
}
