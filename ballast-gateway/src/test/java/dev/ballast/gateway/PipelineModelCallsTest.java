package dev.ballast.gateway;

import static dev.ballast.gateway.PipelinesApiTest.texts;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model calls of {@code generate} and {@code embed} stages take the path a client's request
 * takes: failover, breakers, validation, the failure table, and a journal of their own.
 */
class PipelineModelCallsTest {
  private static final String KEY = "bk-model-calls";
  @TempDir static Path dataDir;
  static Gateway gateway;
  static PipelineGateway client;

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers:
          sim: {type: simulator}
        deployments:
          sim: {provider: sim, model: sim}
          down-first: {provider: sim, model: "sim:status=503"}
          down-only: {provider: sim, model: "sim:status=503"}
          refusing: {provider: sim, model: "sim:content_policy"}
        groups:
          default: {deployments: [sim]}
          failover: {deployments: [down-first, sim]}
          outage: {deployments: [down-only]}
          refusing: {deployments: [refusing]}
        resilience:
          breaker: {failure_rate: 50, window: 2, open_wait: 1s, half_open_probes: 1}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          ask: "Answer: {{input.q}}"
        pipelines:
          failover:
            stages: [{name: ask, type: generate, group: failover, prompt: ask}]
          outage:
            stages:
              - {name: ask, type: generate, group: outage, prompt: ask, retry: {max_attempts: 5, backoff: 10ms}}
          refusing:
            stages: [{name: ask, type: generate, group: refusing, prompt: ask}]
          vectors:
            stages: [{name: vec, type: embed, group: default, text: "{{input.q}}"}]
        """
            .formatted(ConfigLoader.hashKey(KEY));
    BallastConfig config = ConfigLoader.parse("model-calls", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
    client = new PipelineGateway(gateway, KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aGenerateStageFailsOverLikeAClientRequestAndJournalsEveryAttempt() {
    String id = client.submit("failover", "{\"q\":\"which way\"}");

    JsonNode done = client.awaitState(id, "succeeded");

    JsonNode journal = callJournal(done.get("stages").get(0).at("/output/call_run_id").asText());
    assertThat(journal.get(0).at("/event/api").asText()).isEqualTo("pipeline");
    JsonNode attempts = attempts(journal);
    assertThat(texts(attempts, "deployment")).startsWith("down-first").endsWith("sim");
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("server_error");
    assertThat(done.get("output").get("text").asText()).contains("Answer: which way");
  }

  @Test
  void aRunWhoseModelGroupRefusesEveryDeploymentIsParkedAndItsRepeatedCallKeepsOneJournal() {
    HttpResponse<String> trip =
        client.post(
            "/v1/chat/completions",
            KEY,
            "{\"model\":\"outage\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            null);
    assertThat(trip.statusCode()).isEqualTo(502);

    String id = client.submit("outage", "{\"q\":\"anyone there\"}");

    JsonNode parked = client.awaitState(id, "waiting");
    assertThat(parked.get("waiting_on").asText()).isEqualTo("model:outage");
    assertThat(parked.get("stages").get(0).get("error_class").asText())
        .isEqualTo("dependency_unavailable");
    // The parked attempt's call is retried under the same call id once the breaker lets a probe
    // through; the second call continues the first one's journal instead of colliding with it.
    String callId = id + "/ask/1";
    await()
        .atMost(PipelineGateway.WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> callJournal(callId).size() >= 5);
    JsonNode journal = callJournal(callId);
    assertThat(texts(journal, "type").subList(0, 3))
        .containsExactly("RunStarted", "RunFailed", "RunStarted");
    assertThat(journal.get(1).at("/event/errorClass").asText())
        .isEqualTo("no_deployment_available");
    assertThat(texts(journal, "seq").subList(0, 5)).containsExactly("0", "1", "2", "3", "4");
  }

  @Test
  void aContentPolicyRefusalFailsTheRunForGood() {
    String id = client.submit("refusing", "{\"q\":\"something forbidden\"}");

    JsonNode failed = client.awaitState(id, "failed");

    assertThat(failed.get("failed_stage").asText()).isEqualTo("ask");
    assertThat(failed.get("stages").get(0).get("error_class").asText()).isEqualTo("content_policy");
    assertThat(failed.get("stages").get(0).get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void anEmbedStageEmbedsThroughTheGateway() {
    String id = client.submit("vectors", "{\"q\":\"embed me\"}");

    JsonNode done = client.awaitState(id, "succeeded");

    JsonNode output = done.get("output");
    assertThat(output.get("dimensions").asInt()).isEqualTo(16);
    assertThat(output.get("vector")).hasSize(16);
    JsonNode journal = callJournal(output.get("call_run_id").asText());
    assertThat(journal.get(0).at("/event/operation").asText()).isEqualTo("embeddings");
    assertThat(texts(journal, "type")).endsWith("RunCompleted");
  }

  private static JsonNode callJournal(String callRunId) {
    gateway.journal().flush(Duration.ofSeconds(5));
    HttpResponse<String> response = client.get("/v1/ballast/runs/" + callRunId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).get("journal");
  }

  /** The {@code ProviderAttempt} events of a journal. */
  private static JsonNode attempts(JsonNode journal) {
    ArrayNode attempts = Json.mapper().createArrayNode();
    journal.forEach(
        e -> {
          if (e.get("type").asText().equals("ProviderAttempt")) {
            attempts.add(e.get("event"));
          }
        });
    return attempts;
  }
}
