package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover before retry, over real sockets: a retriable failure on the primary goes to the healthy
 * backup first; the primary is retried only when it is the last option.
 */
class FailoverBeforeRetryTest {
  private static final String PRIMARY = "sim:fail_first=1@503";
  private static final String BACKUP = "sim:tokens=4";
  private static final String ALONE = "sim:fail_first=1@502";
  @TempDir Path dataDir;

  @Test
  void aServerErrorOnThePrimaryFailsOverToTheHealthyBackupAndRetriesOnlyTheLastOption()
      throws Exception {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          primary: {provider: sim, model: "%s"}
          backup: {provider: sim, model: "%s"}
          alone: {provider: sim, model: "%s"}
        groups:
          pair: {deployments: [primary, backup]}
          alone: {deployments: [alone]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(PRIMARY, BACKUP, ALONE, ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("failover-first", yaml, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    try (Gateway gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)))) {
      HttpResponse<String> pair = http.send(request(gateway, "pair"), ofString());
      HttpResponse<String> alone = http.send(request(gateway, "alone"), ofString());

      assertThat(pair.statusCode()).as(pair.body()).isEqualTo(200);
      assertThat(gateway.simulator().attempts(PRIMARY)).hasSize(1);
      assertThat(gateway.simulator().attempts(BACKUP)).hasSize(1);
      assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);
      assertThat(gateway.simulator().attempts(ALONE)).hasSize(2);
    }
  }

  private static HttpRequest request(Gateway gateway, String model) {
    return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat(model, false)))
        .build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
