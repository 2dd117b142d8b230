package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.FinishReason;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Google's Gemini API: {@code models/MODEL:generateContent}, {@code :streamGenerateContent?alt=sse}
 * and {@code :batchEmbedContents} / {@code :embedContent}. The model comes from the path; one
 * instance serves one request. A stream has no terminator after its last chunk, so {@code no_done}
 * does not change it, and a function call arrives whole in one chunk. A refused prompt is not an
 * error on this wire: it is a 200 with {@code promptFeedback.blockReason} and no candidates.
 */
public final class GeminiWire implements EmbedWire {
  private final String model;
  private final boolean stream;
  private final boolean batch;

  /**
   * @param stream whether the path asked for {@code streamGenerateContent}
   * @param batch whether the path asked for {@code batchEmbedContents}
   */
  public GeminiWire(String model, boolean stream, boolean batch) {
    this.model = model;
    this.stream = stream;
    this.batch = batch;
  }

  @Override
  public String api() {
    return "gemini";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    JsonNode config = body.path("generationConfig");
    ChatRequest request =
        new ChatRequest(
            model,
            GeminiRequests.messages(body),
            GeminiRequests.tools(body.get("tools")),
            GeminiRequests.toolChoice(body.path("toolConfig").path("functionCallingConfig")),
            GeminiRequests.responseFormat(config),
            null,
            null,
            OpenAiRequests.optionalInt(config.get("maxOutputTokens")),
            null,
            stream,
            null);
    return new ParsedChat(request, stream, true);
  }

  @Override
  public int errorStatus(PlannedFailure failure) {
    return failure.kind() == PlannedFailure.Kind.CONTENT_POLICY ? 200 : failure.status();
  }

  @Override
  public String errorBody(PlannedFailure failure) {
    if (failure.kind() == PlannedFailure.Kind.CONTENT_POLICY) {
      ObjectNode root = Wires.object();
      root.putObject("promptFeedback").put("blockReason", "SAFETY");
      root.put("modelVersion", model);
      // A stream says it in its one and only event.
      return stream ? Wires.sse(root) : Wires.json(root);
    }
    String message =
        failure.kind() == PlannedFailure.Kind.CONTEXT_LENGTH
            ? "The input token count (8193) exceeds the maximum number of tokens allowed (8192)."
            : failure.message();
    ObjectNode error =
        Wires.object()
            .put("code", failure.status())
            .put("message", message)
            .put("status", status(failure.status()));
    ObjectNode root = Wires.object();
    root.set("error", error);
    return Wires.json(root);
  }

  private static String status(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }

  @Override
  public String response(Answer answer, Render render) {
    ObjectNode root = Wires.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
    if (answer.isToolCall()) {
      parts.add(functionCall(answer, render));
    } else {
      parts.addObject().put(render.renamedFields() ? "content" : "text", answer.text());
    }
    candidate.put("finishReason", finishReason(answer.finishReason())).put("index", 0);
    return Wires.json(envelope(root, answer, render));
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    List<String> tokens = new ArrayList<>();
    if (answer.isToolCall()) {
      tokens.add(Wires.sse(chunk(render, functionCall(answer, render))));
    } else {
      String field = render.renamedFields() ? "content" : "text";
      for (String piece : answer.pieces()) {
        tokens.add(Wires.sse(chunk(render, Wires.object().put(field, piece))));
      }
    }
    ObjectNode last = Wires.object();
    last.putArray("candidates")
        .addObject()
        .put("finishReason", finishReason(answer.finishReason()))
        .put("index", 0);
    List<String> closing = List.of(Wires.sse(envelope(last, answer, render)));
    String malformed = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \n\n";
    ObjectNode failure = Wires.object();
    failure
        .putObject("error")
        .put("code", 500)
        .put("message", "An internal error has occurred.")
        .put("status", "INTERNAL");
    String error = Wires.sse(failure);
    return new StreamEvents(
        "text/event-stream", List.of(), tokens, closing, null, malformed, error);
  }

  private ObjectNode chunk(Render render, ObjectNode part) {
    ObjectNode root = Wires.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts").add(part);
    candidate.put("index", 0);
    return root.put("modelVersion", render.model()).put("responseId", "sim-" + render.id());
  }

  private static ObjectNode functionCall(Answer answer, Render render) {
    ObjectNode call = Wires.object().put("name", answer.toolName());
    if (render.toolArgsDrift()) {
      // The drift on this wire: arguments as a JSON string where an object belongs.
      call.put("args", answer.toolArgumentsText());
    } else {
      call.set("args", answer.toolArguments());
    }
    ObjectNode part = Wires.object();
    part.set("functionCall", call);
    return part;
  }

  private static ObjectNode envelope(ObjectNode root, Answer answer, Render render) {
    if (render.usage()) {
      root.putObject("usageMetadata")
          .put("promptTokenCount", answer.inputTokens())
          .put("candidatesTokenCount", answer.outputTokens())
          .put("totalTokenCount", answer.inputTokens() + answer.outputTokens());
    }
    return root.put("modelVersion", render.model()).put("responseId", "sim-" + render.id());
  }

  /** Gemini says STOP for a function call too. */
  private static String finishReason(FinishReason reason) {
    return switch (reason) {
      case LENGTH -> "MAX_TOKENS";
      case CONTENT_FILTER -> "SAFETY";
      case STOP, TOOL_CALLS -> "STOP";
    };
  }

  @Override
  public EmbeddingRequest parseEmbedding(JsonNode body) {
    List<JsonNode> requests = new ArrayList<>();
    if (batch) {
      JsonNode list = body.get("requests");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException("'requests' is required and must be an array");
      }
      list.forEach(requests::add);
    } else {
      requests.add(body);
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode request : requests) {
      texts.add(GeminiRequests.text(request.path("content").path("parts")));
    }
    Integer dimensions =
        requests.isEmpty()
            ? null
            : OpenAiRequests.optionalInt(requests.getFirst().get("outputDimensionality"));
    return new EmbeddingRequest(model, texts, dimensions);
  }

  @Override
  public String embeddingResponse(String model, List<float[]> vectors, int inputTokens) {
    ObjectNode root = Wires.object();
    if (!batch) {
      root.putObject("embedding").set("values", Wires.vector(vectors.getFirst()));
      return Wires.json(root);
    }
    ArrayNode embeddings = root.putArray("embeddings");
    vectors.forEach(v -> embeddings.addObject().set("values", Wires.vector(v)));
    return Wires.json(root);
  }
}
