package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer names the model that answered as the upstream reports it, the way OpenAI (a snapshot
 * for an alias), OpenRouter and other gateways do: on every chunk of a stream and in a whole
 * answer, never the group the client asked for on some chunks and the deployment on others, and
 * never a simulator deployment's fault spec ({@code sim:drift=fenced_json}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnsweringModelNameTest {
  @TempDir static Path dir;
  TestGateway node;

  @BeforeAll
  void start() {
    node = new TestGateway(dir);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void aWholeOpenAiAnswerNamesTheSimulatedModelNotItsSpec() {
    HttpResponse<String> r =
        node.post("/v1/chat/completions", TestGateway.KEY, TestGateway.chat("fenced", false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(TestGateway.json(r.body()).get("model").asText()).isEqualTo("sim");
  }

  @Test
  void everyChunkOfAnOpenAiStreamNamesTheAnsweringModel() {
    HttpResponse<String> r =
        node.post("/v1/chat/completions", TestGateway.KEY, TestGateway.chat("default", true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> models = new ArrayList<>();
    for (JsonNode chunk : events(r.body())) {
      if (chunk.has("model")) {
        models.add(chunk.get("model").asText());
      }
    }
    assertThat(models).hasSizeGreaterThan(2).containsOnly("sim");
  }

  @Test
  void anAnthropicAnswerStreamedOrNotNamesTheAnsweringModel() {
    String body =
        """
        {"model":"%s","max_tokens":32,"stream":%s,"messages":[{"role":"user","content":"hi"}]}""";
    HttpResponse<String> whole =
        node.post("/v1/messages", TestGateway.KEY, body.formatted("fenced", false));
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    assertThat(TestGateway.json(whole.body()).get("model").asText()).isEqualTo("sim");

    HttpResponse<String> streamed =
        node.post("/v1/messages", TestGateway.KEY, body.formatted("default", true));
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    JsonNode start =
        events(streamed.body()).stream()
            .filter(e -> "message_start".equals(e.path("type").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(start.get("message").get("model").asText()).isEqualTo("sim");
  }

  private static List<JsonNode> events(String sse) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        events.add(TestGateway.json(line.substring(6)));
      }
    }
    return events;
  }
}
