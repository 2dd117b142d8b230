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
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
  private static final String KEY = "sk-test-0123456789";
  private static final CallOptions OPTIONS = new CallOptions("gpt-4o-mini", Timeouts.DEFAULT);

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
            ProviderSettings.of("openai-main", ProviderApi.OPENAI)
                .withBaseUrl(server.baseUrl().resolve("/v1"))
                .withApiKey(KEY));
  }

  private static ChatRequest question() {
    return ChatRequest.of("smart", List.of(Message.text(Role.USER, "What is the weather?")));
  }

  @Test
  void sendsTheRequestInOpenAiShapeWithBearerKey() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_TEXT));
    JsonNode schema = Json.mapper().readTree("{\"type\":\"object\"}");
    ChatRequest request =
        new ChatRequest(
            "smart",
            List.of(
                Message.text(Role.SYSTEM, "Be brief."),
                new Message(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("Describe"),
                        new ContentPart.Image("https://img.example/cat.png", "low")),
                    null,
                    List.of(),
                    null),
                new Message(
                    Role.ASSISTANT,
                    List.of(),
                    null,
                    List.of(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}")),
                    null),
                new Message(
                    Role.TOOL, List.of(new ContentPart.Text("12C")), null, List.of(), "call_1")),
            List.of(new ToolDefinition("weather", "Current weather", schema)),
            Json.mapper().readTree("\"auto\""),
            new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "answer", schema, true),
            0.2,
            0.9,
            100,
            List.of("END"),
            false,
            "user-7");

    provider.chat(request, OPTIONS);

    WireServer.Request sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = sent.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
    JsonNode parts = body.path("messages").get(1).path("content");
    assertThat(parts.get(1).path("image_url").path("url").asText())
        .isEqualTo("https://img.example/cat.png");
    JsonNode call = body.path("messages").get(2).path("tool_calls").get(0);
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(body.path("messages").get(3).path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(body.path("tools").get(0).path("function").path("name").asText())
        .isEqualTo("weather");
    assertThat(body.path("response_format").path("json_schema").path("strict").asBoolean())
        .isTrue();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
    assertThat(body.path("user").asText()).isEqualTo("user-7");
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void normalizesATextAnswerWithUsageAndKeepsTheRawBody() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_TEXT));

    ChatResponse response = provider.chat(question(), OPTIONS);

    assertThat(response.id()).isEqualTo("chatcmpl-abc123");
    assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(response.systemFingerprint()).isEqualTo("fp_44709d6fcb");
    assertThat(response.message().text()).isEqualTo("It is sunny in Oslo.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new Usage(19, 10, 4, 2, false));
    assertThat(response.repairs()).isEmpty();
    assertThat(response.raw()).isEqualTo(Payloads.OPENAI_TEXT);
  }

  @Test
  void keepsStringToolArgumentsAsTheyCame() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_TOOL_CALL));

    ChatResponse response = provider.chat(question(), OPTIONS);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_abc", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.repairs()).isEmpty();
  }

  @Test
  void serializesToolArgumentsSentAsAnObjectAndRecordsTheRepair() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_TOOL_CALL_OBJECT_ARGS));

    ChatResponse response = provider.chat(question(), OPTIONS);

    assertThat(response.message().toolCalls().getFirst().arguments())
        .isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.TOOL_ARGUMENTS_OBJECT);
  }

  @Test
  void acceptsARenamedContentFieldAndRecordsTheRepair() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_RENAMED_TEXT));

    ChatResponse response = provider.chat(question(), OPTIONS);

    assertThat(response.message().text()).isEqualTo("Renamed hello");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.RENAMED_FIELD);
  }

  @Test
  void aRefusalFieldFinishesAsContentFilter() throws Exception {
    String body =
        "{\"id\":\"r\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}";
    serve((request, wire) -> wire.respond(200, body));

    ChatResponse response = provider.chat(question(), OPTIONS);

    assertThat(response.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void aStreamedRefusalFinishesAsContentFilter() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(
              "data: {\"id\":\"r\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                  + "\"delta\":{\"role\":\"assistant\",\"refusal\":\"I can't\"}}]}\n\n");
          wire.chunk(
              "data: {\"id\":\"r\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                  + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
          wire.chunk("data: [DONE]\n\n");
          wire.endStream();
        });

    ChatResponse response = provider.chatStream(question(), OPTIONS, d -> {});

    assertThat(response.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void aResponseWithoutChoicesIsAFormatViolationCarryingTheRawBody() throws Exception {
    String body = "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}";
    serve((request, wire) -> wire.respond(200, body));

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.chat(question(), OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.FORMAT_VIOLATION);
    assertThat(e.rawBody()).contains(body);
  }

  @Test
  void aResponseThatIsNotJsonIsAFormatViolation() throws Exception {
    serve((request, wire) -> wire.respond(200, "<html>Bad gateway</html>"));

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.chat(question(), OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.FORMAT_VIOLATION);
    assertThat(e.rawBody()).contains("<html>Bad gateway</html>");
  }

  @Test
  void streamsTextAndToolCallsThenAggregatesWithUsage() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          for (String event : Payloads.OPENAI_STREAM_WITH_TOOL) {
            wire.chunk(event);
          }
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = provider.chatStream(question(), OPTIONS, deltas::add);

    assertThat(server.lastRequest().json().path("stream_options").path("include_usage").asBoolean())
        .isTrue();
    assertThat(deltas).extracting(ChatDelta::content).contains("Let me ", "check.");
    assertThat(response.message().text()).isEqualTo("Let me check.");
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_9", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(30, 12, 0, 0, false));
    assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(response.repairs()).isEmpty();
    assertThat(response.raw()).contains("data: [DONE]");
  }

  @Test
  void dropsAMalformedChunkWithoutForwardingItAndRecordsTheRepair() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Hel\"", null));
          wire.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"BROKEN\n\n");
          wire.chunk(Payloads.openAiChunk("\"content\":\"lo\"", "\"stop\""));
          wire.chunk("data: [DONE]\n\n");
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = provider.chatStream(question(), OPTIONS, deltas::add);

    assertThat(deltas).extracting(ChatDelta::content).containsExactly("Hel", "lo");
    assertThat(response.message().text()).isEqualTo("Hello");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.MALFORMED_CHUNK_DROPPED);
  }

  @Test
  void finalizesAStreamThatEndsWithoutDoneAfterAFinishReason() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Done soon\"", null));
          wire.chunk(Payloads.openAiChunk("", "\"stop\""));
          wire.endStream();
        });

    ChatResponse response = provider.chatStream(question(), OPTIONS, delta -> {});

    assertThat(response.message().text()).isEqualTo("Done soon");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isNull();
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.MISSING_STREAM_TERMINATOR);
  }

  @Test
  void aStreamCutBeforeAFinishReasonIsTruncatedAfterDeliveringWhatArrived() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Half an ans\"", null));
          wire.cut();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.chatStream(question(), OPTIONS, deltas::add));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
    assertThat(deltas).extracting(ChatDelta::content).containsExactly("Half an ans");
    assertThat(e.rawBody()).hasValueSatisfying(raw -> assertThat(raw).contains("Half an ans"));
  }

  @Test
  void aStreamThatEndsCleanlyWithoutAFinishReasonIsTruncated() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Half\"", null));
          wire.endStream();
        });

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.chatStream(question(), OPTIONS, d -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
  }

  @Test
  void embedsInInputOrder() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OPENAI_EMBEDDINGS));

    EmbeddingResponse response =
        provider.embed(
            new EmbeddingRequest("embed", List.of("a", "b"), null),
            new CallOptions("text-embedding-3-small", Timeouts.DEFAULT));

    assertThat(server.lastRequest().path()).isEqualTo("/v1/embeddings");
    assertThat(response.vectors()).hasSize(2);
    assertThat(response.vectors().get(0)).containsExactly(0.1f, 0.2f);
    assertThat(response.vectors().get(1)).containsExactly(0.3f, 0.4f);
    assertThat(response.usage().inputTokens()).isEqualTo(4);
  }
}
