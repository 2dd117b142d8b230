package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {
  private static final String KEY = "sk-ant-test-777";
  private static final CallOptions OPTIONS =
      new CallOptions("claude-sonnet-4-20250514", Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "Weather in Oslo?")));

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
            ProviderSettings.of("claude", ProviderApi.ANTHROPIC)
                .withBaseUrl(server.baseUrl())
                .withApiKey(KEY));
  }

  @Test
  void translatesTheConversationToMessagesShape() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.ANTHROPIC_TOOL_USE));
    ChatRequest request =
        new ChatRequest(
            "smart",
            List.of(
                Message.text(Role.SYSTEM, "You are terse."),
                new Message(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
                        new ContentPart.Image("https://img.example/a.jpg", null)),
                    null,
                    List.of(),
                    null),
                new Message(
                    Role.ASSISTANT,
                    List.of(),
                    null,
                    List.of(new ToolCall("toolu_1", "weather", "{\"city\":\"Oslo\"}")),
                    null),
                new Message(
                    Role.TOOL, List.of(new ContentPart.Text("12C")), null, List.of(), "toolu_1")),
            List.of(
                new ToolDefinition(
                    "weather", "Current weather", Json.mapper().readTree("{\"type\":\"object\"}"))),
            Json.mapper().readTree("\"required\""),
            null,
            0.5,
            null,
            null,
            List.of("###"),
            false,
            null);

    provider.chat(request, OPTIONS);

    WireServer.Request sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(KEY);
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.header("authorization")).isNull();
    JsonNode body = sent.json();
    assertThat(body.path("system").asText()).isEqualTo("You are terse.");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(3);
    JsonNode images = messages.get(0).path("content");
    assertThat(images.get(1).path("source").path("type").asText()).isEqualTo("base64");
    assertThat(images.get(1).path("source").path("media_type").asText()).isEqualTo("image/png");
    assertThat(images.get(2).path("source").path("url").asText())
        .isEqualTo("https://img.example/a.jpg");
    JsonNode toolUse = messages.get(1).path("content").get(0);
    assertThat(toolUse.path("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.path("input").path("city").asText()).isEqualTo("Oslo");
    JsonNode toolResult = messages.get(2).path("content").get(0);
    assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
    assertThat(toolResult.path("type").asText()).isEqualTo("tool_result");
    assertThat(toolResult.path("tool_use_id").asText()).isEqualTo("toolu_1");
    assertThat(body.path("tools").get(0).path("input_schema").path("type").asText())
        .isEqualTo("object");
    assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("any");
    assertThat(body.path("stop_sequences").get(0).asText()).isEqualTo("###");
  }

  @Test
  void normalizesTextAndToolUseWithoutARepair() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.ANTHROPIC_TOOL_USE));

    ChatResponse response = provider.chat(QUESTION, OPTIONS);

    assertThat(response.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(response.message().text()).isEqualTo("I'll check the weather.");
    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall("toolu_01A09q90qw90lq917835lq9", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(120, 30, 20, 0, false));
    assertThat(response.repairs()).isEmpty();
    assertThat(response.raw()).isEqualTo(Payloads.ANTHROPIC_TOOL_USE);
  }

  @Test
  void streamsTextAndToolInputThenAggregates() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          for (String event : Payloads.ANTHROPIC_STREAM) {
            wire.chunk(event);
          }
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = provider.chatStream(QUESTION, OPTIONS, deltas::add);

    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
    assertThat(deltas.getFirst().content()).isEqualTo("Checking");
    assertThat(deltas.get(1).toolCalls().getFirst())
        .isEqualTo(new ChatDelta.ToolCallDelta(0, "toolu_9", "weather", ""));
    assertThat(response.message().text()).isEqualTo("Checking");
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("toolu_9", "weather", "{\"city\": \"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(30, 42, 5, 0, false));
    assertThat(response.repairs()).isEmpty();
    assertThat(response.raw()).contains("event: message_stop");
  }

  @Test
  void anOverloadedErrorEventInTheStreamIsAServerError() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.ANTHROPIC_STREAM.getFirst());
          wire.chunk(
              "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                  + "\"message\":\"Overloaded\"}}\n\n");
          wire.endStream();
        });

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.chatStream(QUESTION, OPTIONS, d -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(e.providerCode()).contains("overloaded_error");
  }

  @Test
  void embeddingsAreABadRequestBecauseAnthropicHasNoEmbeddingsApi() throws Exception {
    serve((request, wire) -> wire.respond(500, "unexpected"));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.embed(new EmbeddingRequest("e", List.of("x"), null), OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
    assertThat(e.getMessage()).contains("no embeddings API");
    assertThat(server.requests()).isEmpty();
  }
}
