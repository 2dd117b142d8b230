package dev.ballast.simulator;

import static dev.ballast.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicAndOllamaServerTest {
  static Simulator sim;
  static SimulatorServer server;
  static SimClient client;

  @BeforeAll
  static void start() {
    sim = Simulator.create();
    server = sim.server(0);
    client = new SimClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String messages(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":100,\"stream\":"
        + stream
        + ",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
  }

  @Test
  void anthropicAnswersInMessagesShape() throws Exception {
    JsonNode body = json(client.post("/v1/messages", messages("sim:tokens=6", false)).body());
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(body.at("/content/0/text").asText())
        .isEqualTo("Simulated answer to: Hello there the");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(6);
  }

  @Test
  void anthropicStreamFollowsTheRealEventSequence() throws Exception {
    String sse = client.post("/v1/messages", messages("sim:tokens=3", true)).body();
    List<String> events = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("event: ")) {
        events.add(line.substring(7));
      }
    }
    assertThat(events)
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(sse).contains("\"type\":\"text_delta\"").contains("\"stop_reason\":\"end_turn\"");
  }

  @Test
  void anthropicToolUseStreamsInputJsonDeltas() throws Exception {
    String body =
        """
        {"model":"sim","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"go"}],
         "tools":[{"name":"lookup","input_schema":{"type":"object",
           "properties":{"q":{"type":"string"}},"required":["q"]}}]}
        """;
    String sse = client.post("/v1/messages", body).body();
    StringBuilder partial = new StringBuilder();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ") && line.contains("input_json_delta")) {
        partial.append(json(line.substring(6)).at("/delta/partial_json").asText());
      }
    }
    assertThat(json(partial.toString())).isEqualTo(json("{\"q\":\"x\"}"));
    assertThat(sse).contains("\"stop_reason\":\"tool_use\"");
  }

  @Test
  void anthropicErrorsUseAnthropicTypes() throws Exception {
    var limited = client.post("/v1/messages", messages("sim:status=429", false));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(json(limited.body()).path("type").asText()).isEqualTo("error");
    assertThat(json(limited.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    var overloaded = client.post("/v1/messages", messages("sim:status=529", false));
    assertThat(json(overloaded.body()).at("/error/type").asText()).isEqualTo("overloaded_error");
    var ctx = client.post("/v1/messages", messages("sim:context_length", false));
    assertThat(json(ctx.body()).at("/error/message").asText()).contains("prompt is too long");
    assertThat(sim.attempts("sim:context_length"))
        .extracting(Attempt::api, Attempt::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("anthropic", "context_length"));
  }

  @Test
  void ollamaStreamsNdjsonByDefault() throws Exception {
    String body =
        "{\"model\":\"sim:tokens=4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String[] lines = client.post("/api/chat", body).body().split("\n");
    assertThat(lines).hasSize(5);
    JsonNode last = json(lines[4]);
    assertThat(last.path("done").asBoolean()).isTrue();
    assertThat(last.path("done_reason").asText()).isEqualTo("stop");
    assertThat(last.path("eval_count").asInt()).isEqualTo(4);
    assertThat(last.path("prompt_eval_count").asInt()).isPositive();
    assertThat(json(lines[0]).at("/message/content").asText()).isEqualTo("Simulated");
  }

  @Test
  void ollamaAnswersOneObjectWhenStreamIsFalse() throws Exception {
    String body =
        "{\"model\":\"sim\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonNode response = json(client.post("/api/chat", body).body());
    assertThat(response.path("done").asBoolean()).isTrue();
    assertThat(response.at("/message/content").asText()).startsWith("Simulated answer to: hi");
  }

  @Test
  void ollamaErrorsAndEmbeddings() throws Exception {
    var failed = client.post("/api/chat", "{\"model\":\"sim:status=500\",\"messages\":[]}");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(json(failed.body()).path("error").asText()).isNotEmpty();
    JsonNode embed =
        json(client.post("/api/embed", "{\"model\":\"sim\",\"input\":[\"a\",\"b\"]}").body());
    assertThat(embed.path("embeddings")).hasSize(2);
    assertThat(embed.at("/embeddings/0")).hasSize(16);
  }
}
