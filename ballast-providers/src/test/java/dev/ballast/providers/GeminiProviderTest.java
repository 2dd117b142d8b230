package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gemini's wire details that the simulator-based contract does not pin down. */
class GeminiProviderTest {
  private static final String KEY = "AIza-test-123";
  private static final CallOptions OPTIONS = new CallOptions("gemini-2.5-flash", Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "Weather in Oslo?")));
  private static final String TOOL_ANSWER =
      """
      {"candidates":[{"content":{"role":"model","parts":[
        {"text":"Checking."},{"functionCall":{"name":"weather","args":{"city":"Oslo"}}}]},
        "finishReason":"STOP","index":0}],
       "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":12,"totalTokenCount":60,
        "thoughtsTokenCount":8},
       "modelVersion":"gemini-2.5-flash-001","responseId":"r-1"}
      """;

  private WireServer server;
  private Provider provider;

  @AfterEach
  void tearDown() throws IOException {
    provider.close();
    server.close();
  }

  private void serve(WireServer.Script script) throws IOException {
    server = WireServer.start(script);
    provider =
        Providers.create(
            ProviderSettings.of("gemini", ProviderApi.GEMINI)
                .withBaseUrl(server.baseUrl())
                .withApiKey(KEY));
  }

  @Test
  void translatesTheConversationToContentsAndParts() throws Exception {
    serve((request, wire) -> wire.respond(200, TOOL_ANSWER));
    JsonNode schema =
        Json.mapper()
            .readTree(
                "{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"properties\":{\"a\":{\"type\":\"string\"}}}");
    ChatRequest request =
        new ChatRequest(
            "smart",
            List.of(
                Message.text(Role.SYSTEM, "You are terse."),
                new Message(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null)),
                    null,
                    List.of(),
                    null),
                new Message(
                    Role.ASSISTANT,
                    List.of(),
                    null,
                    List.of(new ToolCall("call_7", "weather", "{\"city\":\"Oslo\"}")),
                    null),
                new Message(
                    Role.TOOL, List.of(new ContentPart.Text("12C")), null, List.of(), "call_7")),
            List.of(new ToolDefinition("weather", "Current weather", schema)),
            Json.mapper().readTree("\"required\""),
            new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "out", schema, true),
            0.5,
            null,
            256,
            List.of("###"),
            false,
            null);

    provider.chat(request, OPTIONS);

    WireServer.Request sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(sent.header("authorization")).isNull();
    JsonNode body = sent.json();
    assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText())
        .isEqualTo("You are terse.");
    JsonNode contents = body.path("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.get(0).path("parts").get(1).path("inlineData").path("mimeType").asText())
        .isEqualTo("image/png");
    assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
    assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("args").path("city"))
        .hasToString("\"Oslo\"");
    JsonNode response = contents.get(2).path("parts").get(0).path("functionResponse");
    assertThat(contents.get(2).path("role").asText()).isEqualTo("user");
    assertThat(response.path("name").asText()).isEqualTo("weather");
    assertThat(response.path("response").path("content").asText()).isEqualTo("12C");
    JsonNode config = body.path("generationConfig");
    assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(256);
    assertThat(config.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(config.path("stopSequences").get(0).asText()).isEqualTo("###");
    assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(config.path("responseSchema").has("additionalProperties")).isFalse();
    assertThat(body.path("tools").get(0).path("functionDeclarations").get(0).path("name").asText())
        .isEqualTo("weather");
    assertThat(body.path("toolConfig").path("functionCallingConfig").path("mode").asText())
        .isEqualTo("ANY");
  }

  @Test
  void normalizesAFunctionCallAnsweredWithStopAndCountsThoughtsAsOutput() throws Exception {
    serve((request, wire) -> wire.respond(200, TOOL_ANSWER));

    ChatResponse response = provider.chat(QUESTION, OPTIONS);

    assertThat(response.message().text()).isEqualTo("Checking.");
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_r-1_0", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(40, 20, 0, 8, false));
    assertThat(response.model()).isEqualTo("gemini-2.5-flash-001");
  }

  @Test
  void mapsSafetyAndMaxTokensToTheNormalizedFinishReasons() throws Exception {
    serve(
        (request, wire) ->
            wire.respond(
                200,
                server.requests().size() == 1
                    ? "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},"
                        + "\"finishReason\":\"SAFETY\"}]}"
                    : "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},"
                        + "\"finishReason\":\"MAX_TOKENS\"}]}"));

    assertThat(provider.chat(QUESTION, OPTIONS).finishReason())
        .isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(provider.chat(QUESTION, OPTIONS).finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void classifiesResourceExhaustedAsRateLimitedAndKeepsTheStatusName() throws Exception {
    serve(
        (request, wire) ->
            wire.respond(
                429,
                "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\","
                    + "\"status\":\"RESOURCE_EXHAUSTED\"}}",
                "Retry-After: 3"));

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(e.providerCode()).contains("RESOURCE_EXHAUSTED");
  }

  @Test
  void classifiesATooLongPromptAsContextLength() throws Exception {
    serve(
        (request, wire) ->
            wire.respond(
                400,
                "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds"
                    + " the maximum number of tokens allowed (1048576).\","
                    + "\"status\":\"INVALID_ARGUMENT\"}}"));

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH);
  }

  @Test
  void classifiesAPromptBlockedInsideAStreamAsContentPolicy() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk("data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}\n\n");
          wire.endStream();
        });

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.chatStream(QUESTION.withStream(true), OPTIONS, delta -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTENT_POLICY);
    assertThat(e.providerCode()).contains("PROHIBITED_CONTENT");
    assertThat(server.lastRequest().path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  }
}
