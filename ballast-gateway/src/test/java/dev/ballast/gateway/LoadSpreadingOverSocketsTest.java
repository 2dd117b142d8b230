package dev.ballast.gateway;

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
 * Load spreading over real sockets: a weighted group spreads its calls over its deployments by
 * weight, an ordered group sends every call to its first deployment.
 */
class LoadSpreadingOverSocketsTest {
  @TempDir Path dataDir;

  @Test
  void aWeightedGroupSpreadsCallsByWeightAndAnOrderedOneDoesNot() throws Exception {
    Simulator simulator = Simulator.create();
    try (SimulatorServer upstream = simulator.server(0)) {
      String yaml =
          """
          server: {port: 0}
          providers:
            sim: {type: openai, base_url: "%s/v1"}
          deployments:
            heavy: {provider: sim, model: "sim:tokens=4"}
            light: {provider: sim, model: "sim:tokens=5"}
            first: {provider: sim, model: "sim:tokens=6"}
            second: {provider: sim, model: "sim:tokens=7"}
          groups:
            spread: {deployments: [heavy, light], strategy: weighted, weights: {heavy: 3, light: 1}}
            plain: {deployments: [first, second]}
          tenants:
            team: {keys: ["%s"]}
          """
              .formatted(
                  upstream.baseUri().toString().replaceAll("/$", ""),
                  ConfigLoader.hashKey(TestGateway.KEY));
      BallastConfig config = ConfigLoader.parse("spread", yaml, Map.of());
      HttpClient http = HttpClient.newHttpClient();
      try (Gateway gateway =
          Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
        for (int i = 0; i < 8; i++) {
          for (String group : new String[] {"spread", "plain"}) {
            HttpRequest request =
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + TestGateway.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat(group, false)))
                    .build();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
          }
        }
      }
      assertThat(simulator.attempts("sim:tokens=4")).hasSize(6);
      assertThat(simulator.attempts("sim:tokens=5")).hasSize(2);
      assertThat(simulator.attempts("sim:tokens=6")).hasSize(8);
      assertThat(simulator.attempts("sim:tokens=7")).isEmpty();
    }
  }
}
