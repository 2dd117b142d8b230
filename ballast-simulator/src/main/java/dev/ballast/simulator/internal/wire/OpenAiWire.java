package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's Chat Completions and Embeddings wire format. */
public final class OpenAiWire implements EmbedWire {

  @Override
  public String api() {
    return "openai";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    JsonNode maxTokens =
        body.has("max_completion_tokens")
            ? body.get("max_completion_tokens")
            : body.get("max_tokens");
    boolean stream = body.path("stream").asBoolean(false);
    ChatRequest request =
        new ChatRequest(
            body.path("model").asText(null),
            OpenAiRequests.messages(body.get("messages")),
            OpenAiRequests.tools(body.get("tools")),
            body.get("tool_choice"),
            OpenAiRequests.responseFormat(body.get("response_format")),
            null,
            null,
            OpenAiRequests.optionalInt(maxTokens),
            null,
            stream,
            body.path("user").asText(null));
    return new ParsedChat(
        request, stream, body.path("stream_options").path("include_usage").asBoolean(false));
  }

  @Override
  public String errorBody(PlannedFailure failure) {
    ObjectNode error = Wires.object();
    error.put("message", failure.message());
    error.put("type", errorType(failure));
    error.put("param", failure.status() == 400 ? "messages" : null);
    error.put("code", errorCode(failure));
    ObjectNode root = Wires.object();
    root.set("error", error);
    return Wires.json(root);
  }

  private static String errorType(PlannedFailure failure) {
    int s = failure.status();
    return s == 429
        ? "requests"
        : s >= 500 ? "server_error" : s == 401 ? "authentication_error" : "invalid_request_error";
  }

  /** OpenAI's error code for a failure, or null when OpenAI sends none. */
  public static String errorCode(PlannedFailure failure) {
    return switch (failure.kind()) {
      case CONTEXT_LENGTH -> "context_length_exceeded";
      case CONTENT_POLICY -> "content_policy_violation";
      case INVALID_SPEC -> "invalid_simulator_spec";
      case INVALID_REQUEST -> "invalid_request";
      case STATUS ->
          failure.status() == 429
              ? "rate_limit_exceeded"
              : failure.status() == 404 ? "model_not_found" : null;
    };
  }

  @Override
  public String response(Answer answer, Render render) {
    ObjectNode message = Wires.object().put("role", "assistant");
    message.put(render.renamedFields() ? "text" : "content", answer.text());
    if (answer.isToolCall()) {
      ObjectNode function = Wires.object().put("name", answer.toolName());
      putArguments(function, answer, render);
      ArrayNode calls = Wires.array();
      calls
          .addObject()
          .put("id", answer.toolCallId())
          .put("type", "function")
          .set("function", function);
      message.set("tool_calls", calls);
    }
    message.putNull("refusal");
    ObjectNode choice = Wires.object().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", answer.finishReason().openAiName());
    ObjectNode root = envelope(render, "chat.completion");
    root.putArray("choices").add(choice);
    if (render.usage()) {
      root.set("usage", usage(answer));
    }
    return Wires.json(root);
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    List<String> opening =
        List.of(chunk(render, Wires.object().put("role", "assistant").put("content", ""), null));
    List<String> tokens =
        answer.isToolCall() ? toolTokens(answer, render) : textTokens(answer, render);
    List<String> closing = new ArrayList<>();
    closing.add(chunk(render, Wires.object(), answer.finishReason().openAiName()));
    if (chat.includeUsage() && render.usage()) {
      ObjectNode usageChunk = envelope(render, "chat.completion.chunk");
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(answer));
      closing.add(Wires.sse(usageChunk));
    }
    String malformed =
        "data: {\"id\":\"chatcmpl-sim-"
            + render.id()
            + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\n\n";
    String error =
        "data: {\"error\":{\"message\":\"The server had an error while processing your"
            + " request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
    return new StreamEvents(
        "text/event-stream", opening, tokens, closing, "data: [DONE]\n\n", malformed, error);
  }

  private List<String> textTokens(Answer answer, Render render) {
    String field = render.renamedFields() ? "text" : "content";
    return answer.pieces().stream()
        .map(p -> chunk(render, Wires.object().put(field, p), null))
        .toList();
  }

  private List<String> toolTokens(Answer answer, Render render) {
    if (render.toolArgsDrift()) {
      // An object cannot be sent in fragments, so the drifted call arrives in one chunk.
      return List.of(toolChunk(answer, render, null, true));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < answer.pieces().size(); i++) {
      out.add(toolChunk(answer, render, answer.pieces().get(i), i == 0));
    }
    return out;
  }

  private String toolChunk(Answer answer, Render render, String piece, boolean first) {
    ObjectNode call = Wires.object().put("index", 0);
    ObjectNode function = Wires.object();
    if (first) {
      call.put("id", answer.toolCallId()).put("type", "function");
      function.put("name", answer.toolName());
    }
    if (piece == null) {
      putArguments(function, answer, render);
    } else {
      function.put("arguments", piece);
    }
    call.set("function", function);
    ObjectNode delta = Wires.object();
    delta.putArray("tool_calls").add(call);
    return chunk(render, delta, null);
  }

  private static void putArguments(ObjectNode function, Answer answer, Render render) {
    if (render.toolArgsDrift()) {
      function.set("arguments", answer.toolArguments());
    } else {
      function.put("arguments", answer.toolArgumentsText());
    }
  }

  private String chunk(Render render, ObjectNode delta, String finishReason) {
    ObjectNode choice = Wires.object().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    ObjectNode root = envelope(render, "chat.completion.chunk");
    root.putArray("choices").add(choice);
    return Wires.sse(root);
  }

  private static ObjectNode envelope(Render render, String object) {
    return Wires.object()
        .put("id", "chatcmpl-sim-" + render.id())
        .put("object", object)
        .put("created", render.created().getEpochSecond())
        .put("model", render.model())
        .put("system_fingerprint", render.fingerprint());
  }

  private static ObjectNode usage(Answer answer) {
    return Wires.object()
        .put("prompt_tokens", answer.inputTokens())
        .put("completion_tokens", answer.outputTokens())
        .put("total_tokens", answer.inputTokens() + answer.outputTokens());
  }

  @Override
  public EmbeddingRequest parseEmbedding(JsonNode body) {
    return new EmbeddingRequest(
        body.path("model").asText(null),
        Wires.texts(body.get("input")),
        OpenAiRequests.optionalInt(body.get("dimensions")));
  }

  @Override
  public String embeddingResponse(String model, List<float[]> vectors, int inputTokens) {
    ObjectNode root = Wires.object().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      data.addObject()
          .put("object", "embedding")
          .put("index", i)
          .set("embedding", Wires.vector(vectors.get(i)));
    }
    root.put("model", model);
    root.set(
        "usage", Wires.object().put("prompt_tokens", inputTokens).put("total_tokens", inputTokens));
    return Wires.json(root);
  }
}
