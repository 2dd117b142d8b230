package dev.ballast.simulator;

import static dev.ballast.simulator.SimClient.chat;
import static dev.ballast.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.testkit.MutableClock;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiServerTest {
  static final MutableClock CLOCK = new MutableClock();
  static Simulator sim;
  static SimulatorServer server;
  static SimClient client;

  @BeforeAll
  static void start() {
    sim = new Simulator(7, CLOCK, Map.of("flaky", "error=1.0@503"));
    server = sim.server(0);
    client = new SimClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersInOpenAiShapeWithUsage() throws Exception {
    var response = client.post("/v1/chat/completions", chat("sim", false));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.at("/choices/0/message/content").asText())
        .startsWith("Simulated answer to: What is the capital of France?");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(16);
    assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
  }

  @Test
  void streamsChunksThenFinishThenUsageThenDone() throws Exception {
    List<String> data =
        dataLines(client.post("/v1/chat/completions", chat("sim:tokens=5", true)).body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    List<JsonNode> chunks = parseAll(data.subList(0, data.size() - 1));
    assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    assertThat(text.toString()).isEqualTo("Simulated answer to: What is");
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks.getLast().path("choices")).isEmpty();
    assertThat(chunks.getLast().at("/usage/completion_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void errorRateFailsInOpenAiErrorShapeAndIsLogged() throws Exception {
    var response = client.post("/v1/chat/completions", chat("flaky", false));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(sim.attempts("flaky")).extracting(Attempt::outcome).containsExactly("503");
  }

  @Test
  void persistent429CarriesRetryAfterOnlyWhenConfigured() throws Exception {
    var with = client.post("/v1/chat/completions", chat("sim:status=429,retry_after=2", false));
    assertThat(with.statusCode()).isEqualTo(429);
    assertThat(with.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(json(with.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    var without = client.post("/v1/chat/completions", chat("sim:status=429", false));
    assertThat(without.statusCode()).isEqualTo(429);
    assertThat(without.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void failFirstFailsOnceThenIsHealthy() throws Exception {
    String model = "sim:fail_first=1@500";
    assertThat(client.post("/v1/chat/completions", chat(model, false)).statusCode()).isEqualTo(500);
    assertThat(client.post("/v1/chat/completions", chat(model, false)).statusCode()).isEqualTo(200);
    assertThat(sim.attempts(model)).extracting(Attempt::outcome).containsExactly("500", "ok");
  }

  @Test
  void resetClosesTheConnectionBeforeHeaders() {
    assertThatThrownBy(() -> client.post("/v1/chat/completions", chat("sim:reset", false)))
        .isInstanceOf(IOException.class);
    assertThat(sim.attempts("sim:reset")).extracting(Attempt::outcome).containsExactly("reset");
  }

  @Test
  void silenceNeverAnswers() {
    assertThatThrownBy(
            () ->
                client.post(
                    "/v1/chat/completions", chat("sim:silence", false), Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(sim.attempts("sim:silence")).extracting(Attempt::outcome).containsExactly("silence");
  }

  @Test
  void cutStreamEndsWithoutFinishOrDone() throws Exception {
    RawHttp.Result result =
        RawHttp.post(server, "/v1/chat/completions", chat("sim:cut_after=2", true));
    assertThat(result.closedByPeer()).isTrue();
    List<String> data = dataLines(result.body());
    assertThat(data).doesNotContain("[DONE]");
    assertThat(
            data.stream()
                .filter(d -> d.contains("\"content\":\"") && !d.contains("\"content\":\"\"")))
        .hasSize(2);
    assertThat(sim.attempts("sim:cut_after=2")).extracting(Attempt::outcome).containsExactly("cut");
  }

  @Test
  void stalledStreamSendsTokensThenKeepsTheConnectionQuiet() throws Exception {
    RawHttp.Result result =
        RawHttp.post(server, "/v1/chat/completions", chat("sim:stall_after=2", true));
    assertThat(result.timedOut()).isTrue();
    List<String> data = dataLines(result.body());
    assertThat(data).hasSize(3).doesNotContain("[DONE]");
  }

  @Test
  void malformedChunkIsOneInvalidEventInAnOtherwiseCompleteStream() throws Exception {
    List<String> data =
        dataLines(client.post("/v1/chat/completions", chat("sim:malformed_chunk", true)).body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    long invalid = data.stream().filter(d -> !d.equals("[DONE]") && !parses(d)).count();
    assertThat(invalid).isEqualTo(1);
  }

  @Test
  void noDoneFinishesWithUsageButWithoutDone() throws Exception {
    List<String> data =
        dataLines(client.post("/v1/chat/completions", chat("sim:no_done", true)).body());
    assertThat(data).doesNotContain("[DONE]");
    assertThat(json(data.getLast()).at("/usage/total_tokens").asInt()).isPositive();
  }

  @Test
  void firstTokenDelaySendsHeadersBeforeTheDelayedBody() throws Exception {
    long start = System.nanoTime();
    var response = client.post("/v1/chat/completions", chat("sim:first_token_delay=200ms", false));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void contextLengthAndContentPolicyUseOpenAiCodes() throws Exception {
    var ctx = client.post("/v1/chat/completions", chat("sim:context_length", false));
    assertThat(ctx.statusCode()).isEqualTo(400);
    assertThat(json(ctx.body()).at("/error/code").asText()).isEqualTo("context_length_exceeded");
    var policy = client.post("/v1/chat/completions", chat("sim:content_policy", false));
    assertThat(json(policy.body()).at("/error/code").asText())
        .isEqualTo("content_policy_violation");
    assertThat(json(policy.body()).at("/error/message").asText()).contains("sim-usage-policy");
  }

  @Test
  void unknownDirectiveIs400NamingIt() throws Exception {
    var response = client.post("/v1/chat/completions", chat("sim:frobnicate", false));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/message").asText()).contains("\"frobnicate\"");
  }

  @Test
  void flapIsDownUntilTheWindowPassesAndAgainAfterReset() throws Exception {
    String model = "sim:flap=60s";
    client.post("/_sim/reset", "");
    assertThat(client.post("/v1/chat/completions", chat(model, false)).statusCode()).isEqualTo(503);
    CLOCK.advance(Duration.ofSeconds(61));
    assertThat(client.post("/v1/chat/completions", chat(model, false)).statusCode()).isEqualTo(200);
    assertThat(client.post("/_sim/reset", "").statusCode()).isEqualTo(200);
    assertThat(client.post("/v1/chat/completions", chat(model, false)).statusCode()).isEqualTo(503);
  }

  @Test
  void attemptsEndpointFiltersByModel() throws Exception {
    String model = "sim:tokens=2";
    client.post("/v1/chat/completions", chat(model, false));
    client.post("/v1/chat/completions", chat(model, true));
    JsonNode log =
        json(
            client
                .get("/_sim/attempts?model=" + java.net.URLEncoder.encode(model, "UTF-8"))
                .body());
    assertThat(log.path("count").asInt()).isEqualTo(2);
    assertThat(log.at("/attempts/1/stream").asBoolean()).isTrue();
    assertThat(log.at("/attempts/0/api").asText()).isEqualTo("openai");
  }

  @Test
  void toolsAreAnsweredWithACallSatisfyingRequiredProperties() throws Exception {
    String body =
        """
        {"model":"sim","messages":[{"role":"user","content":"weather?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
           "properties":{"city":{"type":"string"},"days":{"type":"integer"},
             "opts":{"type":"object","properties":{"metric":{"type":"boolean"}},"required":["metric"]}},
           "required":["city","days","opts"]}}}]}
        """;
    JsonNode response = json(client.post("/v1/chat/completions", body).body());
    JsonNode call = response.at("/choices/0/message/tool_calls/0");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(json(call.at("/function/arguments").asText()))
        .isEqualTo(json("{\"city\":\"x\",\"days\":1,\"opts\":{\"metric\":true}}"));
    assertThat(response.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void driftsChangeTheWireShape() throws Exception {
    String schema =
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":"
            + "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\"}},\"required\":[\"n\"]}}}";
    String request = chat("sim:drift=fenced_json+model+renamed_fields,no_usage", false);
    request = request.substring(0, request.length() - 1) + "," + schema + "}";
    JsonNode body = json(client.post("/v1/chat/completions", request).body());
    assertThat(body.at("/choices/0/message/text").asText()).isEqualTo("```json\n{\"n\":1}\n```");
    assertThat(body.at("/choices/0/message/content").isMissingNode()).isTrue();
    assertThat(body.path("model").asText()).endsWith("-2026-11-01");
    assertThat(body.has("usage")).isFalse();
  }

  @Test
  void fingerprintDriftChangesPerAnswer() throws Exception {
    String a =
        json(client.post("/v1/chat/completions", chat("sim:drift=fingerprint", false)).body())
            .path("system_fingerprint")
            .asText();
    String b =
        json(client.post("/v1/chat/completions", chat("sim:drift=fingerprint", false)).body())
            .path("system_fingerprint")
            .asText();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() throws Exception {
    String req = "{\"model\":\"sim\",\"input\":[\"hello\",\"world\"]}";
    JsonNode first = json(client.post("/v1/embeddings", req).body());
    JsonNode again = json(client.post("/v1/embeddings", req).body());
    assertThat(first).isEqualTo(again);
    JsonNode vector = first.at("/data/0/embedding");
    assertThat(vector).hasSize(16);
    double norm = 0;
    for (JsonNode v : vector) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    JsonNode dims =
        json(
            client
                .post("/v1/embeddings", "{\"model\":\"sim\",\"input\":\"a\",\"dimensions\":8}")
                .body());
    assertThat(dims.at("/data/0/embedding")).hasSize(8);
  }

  @Test
  void listsModelsIncludingProfiles() throws Exception {
    JsonNode models = json(client.get("/v1/models").body());
    assertThat(models.path("data").findValuesAsText("id")).contains("sim", "flaky");
  }

  @Test
  void servesSeveralRequestsOnOneKeptAliveConnection() throws Exception {
    assertThat(RawHttp.twoRequestsOnOneConnection(server, chat("sim:tokens=1", false)))
        .isEqualTo(2);
  }

  static List<String> dataLines(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        out.add(line.substring(6));
      }
    }
    return out;
  }

  static List<JsonNode> parseAll(List<String> data) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String d : data) {
      out.add(json(d));
    }
    return out;
  }

  private static boolean parses(String text) {
    try {
      json(text);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
