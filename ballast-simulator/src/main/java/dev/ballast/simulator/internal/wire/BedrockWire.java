package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.FinishReason;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Amazon Bedrock's Converse API: {@code /model/MODEL/converse} and {@code /converse-stream}, whose
 * stream is AWS event-stream binary framing. The model comes from the path; one instance serves one
 * request. Errors name their type in {@code x-amzn-errortype} and carry only a message. The stream
 * ends with {@code metadata} (the usage) after {@code messageStop}; there is no terminator beyond
 * it, so {@code no_done} does not change a Bedrock stream.
 */
public final class BedrockWire implements ChatWire {
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  private final String model;
  private final boolean stream;

  public BedrockWire(String model, boolean stream) {
    this.model = model;
    this.stream = stream;
  }

  @Override
  public String api() {
    return "bedrock";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    JsonNode toolConfig = body.path("toolConfig");
    ChatRequest request =
        new ChatRequest(
            model,
            BedrockRequests.messages(body),
            BedrockRequests.tools(toolConfig),
            BedrockRequests.toolChoice(toolConfig.get("toolChoice")),
            null,
            null,
            null,
            OpenAiRequests.optionalInt(body.path("inferenceConfig").get("maxTokens")),
            null,
            stream,
            null);
    return new ParsedChat(request, stream, true);
  }

  @Override
  public Map<String, String> errorHeaders(PlannedFailure failure) {
    return Map.of("x-amzn-errortype", errorType(failure) + ":http://internal.amazon.com/coral/");
  }

  @Override
  public String errorBody(PlannedFailure failure) {
    String message =
        switch (failure.kind()) {
          case CONTEXT_LENGTH -> "Input is too long for requested model.";
          case CONTENT_POLICY -> "This request has been blocked by our content filters.";
          default -> failure.message();
        };
    return Wires.json(Wires.object().put("message", message));
  }

  /** The exception type Bedrock names for a failure, as its SDK would throw it. */
  public static String errorType(PlannedFailure failure) {
    return switch (failure.status()) {
      case 400 -> "ValidationException";
      case 401 -> "UnrecognizedClientException";
      case 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408 -> "ModelTimeoutException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> failure.status() >= 500 ? "InternalServerException" : "ValidationException";
    };
  }

  @Override
  public String response(Answer answer, Render render) {
    ObjectNode root = Wires.object();
    ObjectNode message = root.putObject("output").putObject("message").put("role", "assistant");
    ObjectNode block = message.putArray("content").addObject();
    if (answer.isToolCall()) {
      ObjectNode use = block.putObject("toolUse");
      use.put("toolUseId", answer.toolCallId()).put("name", answer.toolName());
      if (render.toolArgsDrift()) {
        use.put("input", answer.toolArgumentsText());
      } else {
        use.set("input", answer.toolArguments());
      }
    } else {
      block.put(render.renamedFields() ? "content" : "text", answer.text());
    }
    root.put("stopReason", stopReason(answer.finishReason()));
    if (render.usage()) {
      root.set("usage", usage(answer));
    }
    root.putObject("metrics").put("latencyMs", 1);
    return Wires.json(root);
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    List<String> opening = new ArrayList<>();
    opening.add(event("messageStart", Wires.object().put("role", "assistant")));
    if (answer.isToolCall()) {
      ObjectNode start = Wires.object().put("contentBlockIndex", 0);
      start
          .putObject("start")
          .putObject("toolUse")
          .put("toolUseId", answer.toolCallId())
          .put("name", answer.toolName());
      opening.add(event("contentBlockStart", start));
    }
    List<String> tokens = new ArrayList<>();
    for (String piece : answer.pieces()) {
      ObjectNode delta = Wires.object().put("contentBlockIndex", 0);
      if (answer.isToolCall()) {
        delta.putObject("delta").putObject("toolUse").put("input", piece);
      } else {
        delta.putObject("delta").put(render.renamedFields() ? "content" : "text", piece);
      }
      tokens.add(event("contentBlockDelta", delta));
    }
    ObjectNode metadata = Wires.object();
    if (render.usage()) {
      metadata.set("usage", usage(answer));
    }
    metadata.putObject("metrics").put("latencyMs", 1);
    List<String> closing =
        List.of(
            event("contentBlockStop", Wires.object().put("contentBlockIndex", 0)),
            event(
                "messageStop", Wires.object().put("stopReason", stopReason(answer.finishReason()))),
            event("metadata", metadata));
    String malformed =
        EventStreamFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{");
    String error =
        EventStreamFrames.exception(
            "internalServerException", "{\"message\":\"The server encountered an error.\"}");
    return new StreamEvents(
        EVENT_STREAM,
        opening,
        tokens,
        closing,
        null,
        malformed,
        error,
        StandardCharsets.ISO_8859_1);
  }

  private static String event(String type, ObjectNode payload) {
    return EventStreamFrames.event(type, Wires.json(payload));
  }

  private static String stopReason(FinishReason reason) {
    return reason == FinishReason.CONTENT_FILTER ? "content_filtered" : reason.anthropicName();
  }

  private static ObjectNode usage(Answer answer) {
    return Wires.object()
        .put("inputTokens", answer.inputTokens())
        .put("outputTokens", answer.outputTokens())
        .put("totalTokens", answer.inputTokens() + answer.outputTokens());
  }
}
