package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.List;

/**
 * Ollama's native chat and embed wire format: NDJSON streaming by default. Ollama has no stream
 * terminator beyond its {@code done} line, so {@code no_done} does not change an Ollama stream.
 */
public final class OllamaWire implements EmbedWire {

  @Override
  public String api() {
    return "ollama";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    boolean stream = body.path("stream").asBoolean(true);
    ChatRequest request =
        new ChatRequest(
            body.path("model").asText(null),
            OpenAiRequests.messages(body.get("messages")),
            OpenAiRequests.tools(body.get("tools")),
            null,
            format(body.get("format")),
            null,
            null,
            OpenAiRequests.optionalInt(body.path("options").get("num_predict")),
            null,
            stream,
            null);
    return new ParsedChat(request, stream, true);
  }

  private static ResponseFormat format(JsonNode format) {
    if (format == null || format.isNull()) {
      return null;
    } else if (format.isObject()) {
      return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, format, true);
    }
    return "json".equals(format.asText())
        ? new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)
        : null;
  }

  @Override
  public String errorBody(PlannedFailure failure) {
    String message =
        switch (failure.kind()) {
          case CONTEXT_LENGTH -> "the input length exceeds the context length";
          case CONTENT_POLICY -> "content policy violation: " + failure.message();
          default -> failure.message();
        };
    return Wires.json(Wires.object().put("error", message));
  }

  @Override
  public String response(Answer answer, Render render) {
    ObjectNode root = line(render, message(answer, render, answer.text()));
    finish(root, answer, render);
    return Wires.json(root);
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    List<String> tokens =
        answer.isToolCall()
            // Ollama sends a tool call whole, in one line.
            ? List.of(ndjson(line(render, message(answer, render, "")).put("done", false)))
            : answer.pieces().stream()
                .map(p -> ndjson(line(render, message(answer, render, p)).put("done", false)))
                .toList();
    ObjectNode last = line(render, Wires.object().put("role", "assistant").put("content", ""));
    finish(last, answer, render);
    String malformed = "{\"model\":\"" + render.model() + "\",\"message\":{\"role\":\n";
    return new StreamEvents(
        "application/x-ndjson",
        List.of(),
        tokens,
        List.of(ndjson(last)),
        null,
        malformed,
        "{\"error\":\"simulated error in stream\"}\n");
  }

  private static ObjectNode message(Answer answer, Render render, String text) {
    ObjectNode message = Wires.object().put("role", "assistant");
    message.put(render.renamedFields() ? "text" : "content", answer.isToolCall() ? "" : text);
    if (answer.isToolCall()) {
      ObjectNode function = Wires.object().put("name", answer.toolName());
      if (render.toolArgsDrift()) {
        function.put("arguments", answer.toolArgumentsText());
      } else {
        function.set("arguments", answer.toolArguments());
      }
      message.putArray("tool_calls").addObject().set("function", function);
    }
    return message;
  }

  private static ObjectNode line(Render render, ObjectNode message) {
    ObjectNode root =
        Wires.object().put("model", render.model()).put("created_at", render.created().toString());
    root.set("message", message);
    return root;
  }

  private static void finish(ObjectNode root, Answer answer, Render render) {
    root.put("done_reason", answer.finishReason() == FinishReason.LENGTH ? "length" : "stop");
    root.put("done", true);
    if (render.usage()) {
      root.put("prompt_eval_count", answer.inputTokens()).put("eval_count", answer.outputTokens());
    }
  }

  private static String ndjson(JsonNode node) {
    return node + "\n";
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
    ObjectNode root = Wires.object().put("model", model);
    ArrayNode embeddings = root.putArray("embeddings");
    vectors.forEach(v -> embeddings.add(Wires.vector(v)));
    root.put("prompt_eval_count", inputTokens);
    return Wires.json(root);
  }
}
