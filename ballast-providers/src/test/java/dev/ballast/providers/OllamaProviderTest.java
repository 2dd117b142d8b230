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
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaProviderTest {
  private static final CallOptions OPTIONS = new CallOptions("llama3.2", Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("local", List.of(Message.text(Role.USER, "Why is the sky blue?")));

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
            ProviderSettings.of("ollama", ProviderApi.OLLAMA).withBaseUrl(server.baseUrl()));
  }

  @Test
  void sendsNativeShapeWithOptionsFormatAndBase64Images() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OLLAMA_CHAT));
    JsonNode schema = Json.mapper().readTree("{\"type\":\"object\"}");
    ChatRequest request =
        new ChatRequest(
            "local",
            List.of(
                new Message(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("Describe"),
                        new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ", null)),
                    null,
                    List.of(),
                    null)),
            List.of(),
            null,
            new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "a", schema, true),
            0.1,
            0.8,
            64,
            List.of("\n\n"),
            false,
            null);

    provider.chat(request, OPTIONS);

    WireServer.Request sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/api/chat");
    JsonNode body = sent.json();
    assertThat(body.path("stream").asBoolean(true)).isFalse();
    assertThat(body.path("messages").get(0).path("images").get(0).asText()).isEqualTo("/9j/4AAQ");
    assertThat(body.path("format")).isEqualTo(schema);
    assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(64);
    assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.1);
    assertThat(body.path("options").path("stop").get(0).asText()).isEqualTo("\n\n");
  }

  @Test
  void normalizesAnAnswerWithCounts() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OLLAMA_CHAT));

    ChatResponse response = provider.chat(QUESTION, OPTIONS);

    assertThat(response.message().text()).isEqualTo("Hi there.");
    assertThat(response.model()).isEqualTo("llama3.2");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new Usage(26, 298, 0, 0, false));
  }

  @Test
  void toolArgumentObjectsAreTheNormalShapeNotARepair() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OLLAMA_TOOL_CALL));

    ChatResponse response = provider.chat(QUESTION, OPTIONS);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_0", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.repairs()).isEmpty();
  }

  @Test
  void streamsNdjsonUntilDone() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/x-ndjson");
          for (String line : Payloads.OLLAMA_STREAM) {
            wire.chunk(line);
          }
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = provider.chatStream(QUESTION, OPTIONS, deltas::add);

    assertThat(deltas).extracting(ChatDelta::content).containsExactly("The sky", " is blue.");
    assertThat(response.message().text()).isEqualTo("The sky is blue.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new Usage(12, 6, 0, 0, false));
    assertThat(response.repairs()).isEmpty();
  }

  @Test
  void aStreamWithoutDoneIsTruncatedAfterDeliveringWhatArrived() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/x-ndjson");
          wire.chunk(Payloads.OLLAMA_STREAM.getFirst());
          wire.chunk("{\"model\":\"llama3.2\",\"message\":{\n");
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.chatStream(QUESTION, OPTIONS, deltas::add));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
    assertThat(deltas).extracting(ChatDelta::content).containsExactly("The sky");
  }

  @Test
  void anErrorLineInTheStreamIsAServerError() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/x-ndjson");
          wire.chunk("{\"error\":\"an error was encountered while running the model\"}\n");
          wire.endStream();
        });

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.chatStream(QUESTION, OPTIONS, d -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
  }

  @Test
  void embedsThroughApiEmbed() throws Exception {
    serve((request, wire) -> wire.respond(200, Payloads.OLLAMA_EMBED));

    EmbeddingResponse response =
        provider.embed(
            new EmbeddingRequest("e", List.of("a", "b"), null),
            new CallOptions("all-minilm", Timeouts.DEFAULT));

    assertThat(server.lastRequest().path()).isEqualTo("/api/embed");
    assertThat(server.lastRequest().json().path("input")).hasSize(2);
    assertThat(response.vectors().get(0)).containsExactly(0.01f, -0.02f);
    assertThat(response.vectors().get(1)).containsExactly(0.03f, 0.04f);
    assertThat(response.usage().inputTokens()).isEqualTo(8);
  }

  @Test
  void aMalformedLineIsDroppedAndRecorded() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/x-ndjson");
          wire.chunk(Payloads.OLLAMA_STREAM.getFirst());
          wire.chunk("not json\n");
          wire.chunk(Payloads.OLLAMA_STREAM.getLast());
          wire.endStream();
        });

    ChatResponse response = provider.chatStream(QUESTION, OPTIONS, d -> {});

    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.MALFORMED_CHUNK_DROPPED);
  }
}
