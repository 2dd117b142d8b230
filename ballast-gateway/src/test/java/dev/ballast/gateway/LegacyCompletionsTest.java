package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/completions}, the legacy completions door, on the chat chain over sockets. */
class LegacyCompletionsTest {
  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = new TestGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static List<JournalEntry> journal(HttpResponse<?> response) {
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gw.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gw.gateway.store().journal().events(runId);
  }

  @Test
  void answersThePromptAsATextCompletionAndJournalsTheRun() {
    HttpResponse<String> response =
        gw.post("/v1/completions", KEY, "{\"model\":\"default\",\"prompt\":\"Once upon a time\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response.body());
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(body.get("id").asText()).isEqualTo("cmpl-" + runId);
    assertThat(body.get("object").asText()).isEqualTo("text_completion");
    assertThat(body.get("choices")).hasSize(1);
    assertThat(body.at("/choices/0/text").asText()).contains("Once upon a time");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(body.at("/choices/0/logprobs").isNull()).isTrue();
    assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
    List<JournalEntry> events = journal(response);
    var started = (JournalEvent.RunStarted) events.getFirst().event();
    assertThat(started.api()).isEqualTo("openai.completions");
    assertThat(events.getLast().event().typeName()).isEqualTo("RunCompleted");
  }

  @Test
  void aCutMaxTokensCompletionFinishesWithLength() {
    HttpResponse<String> response =
        gw.post(
            "/v1/completions",
            KEY,
            "{\"model\":\"default\",\"prompt\":[\"go on\"],\"max_tokens\":2,\"stop\":\"\\n\"}");

    JsonNode body = json(response.body());
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void streamsTextCompletionChunksEndingWithUsageAndDone() {
    HttpResponse<String> response =
        gw.post(
            "/v1/completions",
            KEY,
            """
            {"model":"default","prompt":"stream it","stream":true,
             "stream_options":{"include_usage":true}}""");

    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    List<JsonNode> chunks =
        ResponsesApiTest.events(response.body().replace("data: [DONE]\n\n", "")).stream()
            .map(ResponsesApiTest.Sse::data)
            .toList();
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("text_completion"));
    StringBuilder text = new StringBuilder();
    chunks.stream()
        .filter(c -> !c.get("choices").isEmpty())
        .forEach(c -> text.append(c.at("/choices/0/text").asText()));
    assertThat(text.toString()).contains("stream it");
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText())
        .isEqualTo("stop");
    assertThat(chunks.getLast().at("/usage/completion_tokens").asInt()).isPositive();
  }

  @Test
  void aStreamCutMidwayEndsWithAnErrorNeverWithDone() {
    HttpResponse<String> response =
        gw.post("/v1/completions", KEY, "{\"model\":\"cut\",\"prompt\":\"x\",\"stream\":true}");

    assertThat(response.body()).contains("\"text_completion\"").contains("\"error\"");
    assertThat(response.body()).doesNotContain("[DONE]");
  }

  @Test
  void aFailedRouteAnswersInOpenAisErrorShape() {
    HttpResponse<String> response =
        gw.post("/v1/completions", KEY, "{\"model\":\"all-down\",\"prompt\":\"x\"}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("server_error");
  }

  @Test
  void anIdempotencyKeyAnswersTheSameCompletionTwice() {
    String body = "{\"model\":\"default\",\"prompt\":\"once\"}";
    Map<String, String> key = Map.of("Idempotency-Key", "cmpl-once-1");

    HttpResponse<String> first = gw.post("/v1/completions", KEY, body, key);
    HttpResponse<String> second = gw.post("/v1/completions", KEY, body, key);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no prompt | {\"model\":\"default\"} | prompt",
        "two prompts | {\"model\":\"default\",\"prompt\":[\"a\",\"b\"]} | prompt",
        "token prompt | {\"model\":\"default\",\"prompt\":[[1,2]]} | prompt[0]",
        "n of 2 | {\"model\":\"default\",\"prompt\":\"a\",\"n\":2} | n",
        "echo | {\"model\":\"default\",\"prompt\":\"a\",\"echo\":true} | echo",
        "logprobs | {\"model\":\"default\",\"prompt\":\"a\",\"logprobs\":2} | logprobs",
        "suffix | {\"model\":\"default\",\"prompt\":\"a\",\"suffix\":\"z\"} | suffix",
        "bad max | {\"model\":\"default\",\"prompt\":\"a\",\"max_tokens\":\"9\"} | max_tokens",
      })
  void badInputIsA400NamingTheField(String name, String body, String param) {
    HttpResponse<String> response = gw.post("/v1/completions", KEY, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo(param);
    assertThat(json(response.body()).at("/error/message").asText()).contains(param);
  }
}
