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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
          cooling: {provider: sim, model: "sim:status=429,retry_after=120"}
          refusing: {provider: sim, model: "sim:content_policy"}
        groups:
          default: {deployments: [sim]}
          failover: {deployments: [down-first, sim]}
          cooling: {deployments: [cooling]}
          refusing: {deployments: [refusing]}
        resilience:
          breaker: {failure_rate: 50, window: 2, open_wait: 300ms, half_open_probes: 1}
        tenants:
          team: {keys: ["%s"]}
        workers: {concurrency: 2, lease: 5s, heartbeat: 1s, poll: 50ms}
        prompts:
          ask: "Answer: {{input.q}}"
        pipelines:
          failover:
            stages: [{name: ask, type: generate, group: failover, prompt: ask}]
          cooling:
            stages: [{name: ask, type: generate, group: cooling, prompt: ask}]
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
  void aRunWhoseModelGroupRefusesEveryDeploymentIsParkedAndItsRepeatedCallGetsAJournalOfItsOwn()
      throws Exception {
    // A client's call meets a 429 whose Retry-After (120 s) outlasts its deadline: the deployment
    // cools down, and meanwhile the chain refuses every call without sending it.
    HttpResponse<String> trip =
        client.http.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + KEY)
                .header("x-ballast-deadline-ms", "15000")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"cooling\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(trip.statusCode()).isEqualTo(429);

    String id = client.submit("cooling", "{\"q\":\"anyone there\"}");

    await()
        .atMost(PipelineGateway.WAIT)
        .pollInterval(Duration.ofMillis(25))
        .until(() -> "model:cooling".equals(run(id).path("waiting_on").asText(null)));
    gateway.journal().flush(Duration.ofSeconds(5));
    JsonNode parked = run(id);
    assertThat(parked.get("state").asText()).isIn("waiting", "running");
    assertThat(parked.get("stages").get(0).get("error_class").asText())
        .isEqualTo("dependency_unavailable");
    // A parked attempt does not count, so the run is claimed again (after the dependency's open
    // wait) with the same attempt number, under a new lease: the repeated call is journaled under
    // a call id of its own, not mixed into (or dropped against) the first one's sequence numbers.
    long firstFence = stageStartFences(id).getFirst();
    String first = id + "/ask/1@" + firstFence;
    JsonNode journal = callJournal(first);
    assertThat(texts(journal, "type")).containsExactly("RunStarted", "RunFailed");
    assertThat(texts(journal, "seq")).containsExactly("0", "1");
    assertThat(journal.get(1).at("/event/error_class").asText()).isEqualTo("upstream_rate_limited");
    await()
        .atMost(PipelineGateway.WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stageStartFences(id).size() >= 2);
    long secondFence = stageStartFences(id).get(1);
    assertThat(secondFence).isGreaterThan(firstFence);
    String second = id + "/ask/1@" + secondFence;
    await()
        .atMost(PipelineGateway.WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> callJournal(second).size() >= 2);
    assertThat(texts(callJournal(second), "type").subList(0, 2))
        .containsExactly("RunStarted", "RunFailed");
    assertThat(texts(callJournal(first), "type")).containsExactly("RunStarted", "RunFailed");
    assertThat(run(id).get("stages").get(0).get("state").asText()).isNotEqualTo("failed");
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

  private static JsonNode run(String id) {
    return json(client.get("/v1/pipelines/runs/" + id).body());
  }

  /** The fences of a pipeline run's stage starts, in journal order. */
  private static List<Long> stageStartFences(String runId) {
    List<Long> fences = new ArrayList<>();
    for (JsonNode e : callJournal(runId)) {
      if ("StageStarted".equals(e.path("type").asText())) {
        fences.add(e.at("/event/fence").asLong());
      }
    }
    return fences;
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
