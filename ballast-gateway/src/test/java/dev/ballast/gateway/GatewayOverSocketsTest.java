package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.json;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Any front door to any provider, end to end over real sockets: client → gateway → adapter → the
 * simulator speaking OpenAI, Anthropic, Ollama, Azure OpenAI, Gemini or Bedrock Converse on the
 * wire.
 */
class GatewayOverSocketsTest {
  @TempDir static Path dataDir;
  static Simulator simulator;
  static SimulatorServer upstream;
  static Gateway gateway;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    simulator = Simulator.create();
    upstream = simulator.server(0);
    String base = upstream.baseUri().toString().replaceAll("/$", "");
    String yaml =
        """
        server: {port: 0}
        providers:
          oa: {type: openai, base_url: "%s/v1", api_key: "sk-upstream-secret"}
          an: {type: anthropic, base_url: "%s", api_key: "sk-upstream-secret"}
          ol: {type: ollama, base_url: "%s"}
          az: {type: azure_openai, base_url: "%s", api_key: "sk-upstream-secret", api_version: 2024-10-21}
          gm: {type: gemini, base_url: "%s", api_key: "sk-upstream-secret"}
          br:
            type: bedrock
            base_url: "%s"
            aws: {region: us-east-1, access_key_id: AKIDEXAMPLE, secret_access_key: "sk-upstream-secret"}
        deployments:
          oa: {provider: oa, model: openai-model}
          an: {provider: an, model: anthropic-model}
          ol: {provider: ol, model: ollama-model}
          az: {provider: az, model: azure-model}
          gm: {provider: gm, model: gemini-model}
          br: {provider: br, model: bedrock-model}
        groups:
          via-openai: {deployments: [oa]}
          via-anthropic: {deployments: [an]}
          via-ollama: {deployments: [ol]}
          via-azure: {deployments: [az]}
          via-gemini: {deployments: [gm]}
          via-bedrock: {deployments: [br]}
        tenants:
          team: {keys: ["%s"]}
        """
            .formatted(base, base, base, base, base, base, ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("sockets", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @ParameterizedTest(name = "{0} door to {1} (stream={2})")
  @CsvSource({
    "openai, via-openai, false",
    "openai, via-anthropic, false",
    "openai, via-ollama, false",
    "openai, via-openai, true",
    "openai, via-anthropic, true",
    "openai, via-ollama, true",
    "anthropic, via-openai, false",
    "anthropic, via-ollama, true",
    "openai, via-azure, false",
    "openai, via-azure, true",
    "openai, via-gemini, false",
    "openai, via-gemini, true",
    "openai, via-bedrock, false",
    "openai, via-bedrock, true",
    "anthropic, via-gemini, false",
    "anthropic, via-bedrock, true"
  })
  void answersThroughEveryFrontDoorFromEveryProvider(String door, String group, boolean stream)
      throws Exception {
    String upstreamModel = group.replace("via-", "") + "-model";
    int before = simulator.attempts(upstreamModel).size();
    HttpResponse<String> response =
        door.equals("openai")
            ? post(
                "/v1/chat/completions",
                """
            {"model":"%s","stream":%s,"messages":[{"role":"user","content":"over the wire"}]}"""
                    .formatted(group, stream))
            : post(
                "/v1/messages",
                """
            {"model":"%s","max_tokens":50,"stream":%s,"messages":[{"role":"user","content":"over the wire"}]}"""
                    .formatted(group, stream));

    assertThat(response.statusCode()).isEqualTo(200);
    if (stream) {
      assertThat(response.body())
          .contains("over")
          .contains(door.equals("openai") ? "data: [DONE]" : "message_stop");
    } else if (door.equals("openai")) {
      assertThat(json(response.body()).at("/choices/0/message/content").asText())
          .contains("over the wire");
    } else {
      assertThat(json(response.body()).at("/content/0/text").asText()).contains("over the wire");
    }
    assertThat(simulator.attempts(upstreamModel)).hasSize(before + 1);
    gateway.journal().flush(java.time.Duration.ofSeconds(5));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gateway.store().journal().events(runId).toString())
        .doesNotContain("sk-upstream-secret");
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
