package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

/**
 * Stream continuation over real sockets: a stream that fails after part of the answer reached the
 * client (cut, stall, malformed chunk then cut, error event) is continued on the next deployment
 * and the client, on either front door, sees exactly the answer a healthy deployment gives, with
 * one finish and one terminator; a short deadline, a tool call or {@code continue_streams: false}
 * leaves the honest error event.
 */
class StreamContinuationTest {
  private static final String PROMPT = "please tell me a long story about resilient gateways";
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
          oa: {type: openai, base_url: "%1$s/v1", api_key: "sk-up"}
          an: {type: anthropic, base_url: "%1$s", api_key: "sk-up"}
        deployments:
          oa-cut: {provider: oa, model: "sim:cut_after=5"}
          oa-stall: {provider: oa, model: "sim:stall_after=5", timeouts: {idle: 300ms}}
          oa-malformed: {provider: oa, model: "sim:malformed_chunk,cut_after=12"}
          oa-error: {provider: oa, model: "sim:error_after=5"}
          oa-slow-cut: {provider: oa, model: "sim:token_delay=150ms,cut_after=4"}
          oa-tool-cut: {provider: oa, model: "sim:cut_after=2"}
          oa-ok: {provider: oa, model: "sim:tokens=16"}
          oa-no-prefill: {provider: oa, model: "sim:reject_prefill", continuation: prefill}
          an-cut: {provider: an, model: "sim:cut_after=5,model_id=a"}
          an-stall: {provider: an, model: "sim:stall_after=5", timeouts: {idle: 300ms}}
          an-malformed: {provider: an, model: "sim:malformed_chunk,cut_after=12,model_id=a"}
          an-error: {provider: an, model: "sim:error_after=5,model_id=a"}
          an-ok: {provider: an, model: "sim:tokens=16,model_id=a"}
        groups:
          reference: {deployments: [oa-ok]}
          oa-cut: {deployments: [oa-cut, oa-ok]}
          oa-stall: {deployments: [oa-stall, oa-ok]}
          oa-malformed: {deployments: [oa-malformed, oa-ok]}
          oa-error: {deployments: [oa-error, oa-ok]}
          oa-slow-cut: {deployments: [oa-slow-cut, oa-ok]}
          oa-tool-cut: {deployments: [oa-tool-cut, oa-ok]}
          oa-no-prefill: {deployments: [oa-cut, oa-no-prefill]}
          oa-off: {deployments: [oa-cut, oa-ok], continue_streams: false}
          an-cut: {deployments: [an-cut, an-ok]}
          an-stall: {deployments: [an-stall, an-ok]}
          an-malformed: {deployments: [an-malformed, an-ok]}
          an-error: {deployments: [an-error, an-ok]}
        admins: [team]   # reads each deployment's continuation form in /v1/ballast/status
        tenants:
          team: {keys: ["%2$s"]}
        resilience:
          min_attempt_time: 300ms
        """
            .formatted(base, ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("continuation", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @ParameterizedTest(name = "OpenAI door, {0}")
  @CsvSource({"oa-cut", "oa-stall", "oa-malformed", "oa-error"})
  void anOpenAiStreamThatBreaksIsContinuedSeamlessly(String group) throws Exception {
    HttpResponse<String> response = openAi(group, null, null);

    assertThat(response.statusCode()).isEqualTo(200);
    OpenAiEvents events = OpenAiEvents.of(response.body());
    assertThat(events.text).isEqualTo(reference());
    assertThat(events.errors).isZero();
    assertThat(events.finishes).isEqualTo(1);
    assertThat(events.usages).isEqualTo(1);
    assertThat(events.ids).hasSize(1);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(response.body().split("\\[DONE]", -1)).hasSize(2);
    // Usage is the sum over the attempts: the continuing attempt's own output is less.
    assertThat(events.outputTokens).isGreaterThanOrEqualTo(16);
    List<ProviderAttempt> attempts = attempts(response);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).decision()).isEqualTo("continue:oa-ok");
    assertThat(attempts.get(1).continuation()).isNotNull();
    assertThat(attempts.get(1).continuation().form()).isEqualTo("instruction");
    assertThat(attempts.get(1).continuation().deliveredChars()).isPositive();
    // The model asked by instruction repeated its last words: they were not sent twice.
    assertThat(attempts.get(1).continuation().overlapChars()).isPositive();
  }

  @ParameterizedTest(name = "Anthropic door, {0}")
  @CsvSource({"an-cut", "an-stall", "an-malformed", "an-error"})
  void anAnthropicStreamThatBreaksIsContinuedSeamlessly(String group) throws Exception {
    HttpResponse<String> response = anthropic(group);

    assertThat(response.statusCode()).isEqualTo(200);
    AnthropicEvents events = AnthropicEvents.of(response.body());
    assertThat(events.text).isEqualTo(reference());
    assertThat(events.errors).isZero();
    assertThat(events.messageDeltas).isEqualTo(1);
    assertThat(events.stops).isEqualTo(1);
    assertThat(events.starts).isEqualTo(1);
    List<ProviderAttempt> attempts = attempts(response);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).decision()).isEqualTo("continue:an-ok");
    assertThat(attempts.get(1).continuation().form()).isEqualTo("prefill");
    assertThat(attempts.get(1).continuation().overlapChars()).isZero();
  }

  @Test
  void aDeadlineTooShortForAnotherAttemptLeavesTheErrorEvent() throws Exception {
    int before = simulator.attempts("sim:tokens=16").size();
    // Four tokens 150 ms apart, then the cut: less than min_attempt_time (300 ms) is left.
    HttpResponse<String> response = openAi("oa-slow-cut", "700", null);

    OpenAiEvents events = OpenAiEvents.of(response.body());
    assertThat(events.errors).isEqualTo(1);
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(events.finishes).isZero();
    assertThat(simulator.attempts("sim:tokens=16")).hasSize(before);
    assertThat(attempts(response).getFirst().decision()).isEqualTo("gave_up_after_first_token");
  }

  @Test
  void aPrefillRejectedWithA400IsLearnedAndAskedByInstruction() throws Exception {
    HttpResponse<String> first = openAi("oa-no-prefill", null, null);

    assertThat(OpenAiEvents.of(first.body()).text).isEqualTo(reference());
    List<ProviderAttempt> attempts = attempts(first);
    assertThat(attempts)
        .extracting(ProviderAttempt::decision)
        .containsExactly("continue:oa-no-prefill", "continue:oa-no-prefill", "answered");
    assertThat(attempts.get(1).outcome()).isEqualTo("bad_request");
    assertThat(attempts.get(1).continuation().form()).isEqualTo("prefill");
    assertThat(attempts.get(2).continuation().form()).isEqualTo("instruction");

    JsonNode status = TestGateway.json(get("/v1/ballast/status").body());
    assertThat(status.at("/deployments/oa-no-prefill/continuation").asText())
        .isEqualTo("instruction");
    assertThat(status.at("/deployments/an-ok/continuation").asText()).isEqualTo("prefill");

    HttpResponse<String> second = openAi("oa-no-prefill", null, null);
    assertThat(OpenAiEvents.of(second.body()).text).isEqualTo(reference());
    assertThat(attempts(second)).hasSize(2);
    assertThat(attempts(second).get(1).continuation().form()).isEqualTo("instruction");
  }

  @Test
  void aToolCallCutMidStreamIsNotSpliced() throws Exception {
    int before = simulator.attempts("sim:tokens=16").size();
    String tools =
        """
        ,"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object",\
        "properties":{"city":{"type":"string"},"country":{"type":"string"}},\
        "required":["city","country"]}}}]""";
    HttpResponse<String> response = openAi("oa-tool-cut", null, tools);

    assertThat(response.body()).contains("tool_calls");
    assertThat(OpenAiEvents.of(response.body()).errors).isEqualTo(1);
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(simulator.attempts("sim:tokens=16")).hasSize(before);
  }

  @Test
  void aGroupThatDoesNotContinueStreamsLeavesTheErrorEvent() throws Exception {
    HttpResponse<String> response = openAi("oa-off", null, null);

    assertThat(OpenAiEvents.of(response.body()).errors).isEqualTo(1);
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(attempts(response)).hasSize(1);
  }

  @ParameterizedTest(name = "replay of {0}")
  @CsvSource({"oa-cut", "an-error", "oa-no-prefill"})
  void aContinuedRunReplaysIdentically(String group) throws Exception {
    HttpResponse<String> response =
        group.startsWith("an") ? anthropic(group) : openAi(group, null, null);
    attempts(response);
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    int upstreamCalls = simulator.attempts().size();

    HttpResponse<String> replay = send("/v1/ballast/runs/" + runId + "/replay", "", null);

    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    JsonNode report = TestGateway.json(replay.body());
    assertThat(report.get("outcome").asText()).as(report.toString()).isEqualTo("IDENTICAL");
    assertThat(simulator.attempts()).hasSize(upstreamCalls);
  }

  private static String reference() throws Exception {
    HttpResponse<String> r =
        send(
            "/v1/chat/completions",
            """
            {"model":"reference","messages":[{"role":"user","content":"%s"}]}"""
                .formatted(PROMPT),
            null);
    return TestGateway.json(r.body()).at("/choices/0/message/content").asText();
  }

  private static HttpResponse<String> openAi(String group, String deadlineMs, String extra)
      throws Exception {
    return send(
        "/v1/chat/completions",
        """
        {"model":"%s","stream":true,"stream_options":{"include_usage":true},\
        "messages":[{"role":"user","content":"%s"}]%s}"""
            .formatted(group, PROMPT, extra == null ? "" : extra),
        deadlineMs);
  }

  private static HttpResponse<String> anthropic(String group) throws Exception {
    return send(
        "/v1/messages",
        """
        {"model":"%s","max_tokens":100,"stream":true,\
        "messages":[{"role":"user","content":"%s"}]}"""
            .formatted(group, PROMPT),
        null);
  }

  private static HttpResponse<String> send(String path, String body, String deadlineMs)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .header("content-type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (deadlineMs != null) {
      request.header("x-ballast-deadline-ms", deadlineMs);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("authorization", "Bearer " + TestGateway.KEY)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<ProviderAttempt> attempts(HttpResponse<String> response) {
    gateway.journal().flush(Duration.ofSeconds(5));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    return gateway.store().journal().events(runId).stream()
        .map(JournalEntry::event)
        .filter(ProviderAttempt.class::isInstance)
        .map(ProviderAttempt.class::cast)
        .toList();
  }

  /** What an OpenAI stream said: its text, finishes, usage chunks, error events and ids. */
  private static final class OpenAiEvents {
    String text = "";
    int finishes;
    int usages;
    int errors;
    int outputTokens;
    java.util.Set<String> ids = new java.util.HashSet<>();

    static OpenAiEvents of(String body) {
      OpenAiEvents e = new OpenAiEvents();
      StringBuilder text = new StringBuilder();
      for (String line : body.split("\n")) {
        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
          continue;
        }
        JsonNode chunk = TestGateway.json(line.substring(6));
        if (chunk.has("error")) {
          e.errors++;
          continue;
        }
        e.ids.add(chunk.path("id").asText());
        if (chunk.path("usage").isObject()) {
          e.usages++;
          e.outputTokens = chunk.path("usage").path("completion_tokens").asInt();
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.path("delta").path("content").isTextual()) {
          text.append(choice.path("delta").path("content").asText());
        }
        if (choice.path("finish_reason").isTextual()) {
          e.finishes++;
        }
      }
      e.text = text.toString();
      return e;
    }
  }

  /** What an Anthropic stream said: its text and how often each framing event came. */
  private static final class AnthropicEvents {
    String text = "";
    int starts;
    int messageDeltas;
    int stops;
    int errors;

    static AnthropicEvents of(String body) {
      AnthropicEvents e = new AnthropicEvents();
      StringBuilder text = new StringBuilder();
      for (String line : body.split("\n")) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        JsonNode event = TestGateway.json(line.substring(6));
        switch (event.path("type").asText()) {
          case "message_start" -> e.starts++;
          case "message_delta" -> e.messageDeltas++;
          case "message_stop" -> e.stops++;
          case "error" -> e.errors++;
          case "content_block_delta" -> text.append(event.path("delta").path("text").asText(""));
          default -> {}
        }
      }
      e.text = text.toString();
      return e;
    }
  }
}
