package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.simulator.internal.Answer;
import dev.ballast.simulator.internal.PlannedFailure;
import java.util.ArrayList;
import java.util.List;

/** Anthropic's Messages wire format, including its named SSE event sequence. */
public final class AnthropicWire implements ChatWire {

  @Override
  public String api() {
    return "anthropic";
  }

  @Override
  public ParsedChat parse(JsonNode body) {
    boolean stream = body.path("stream").asBoolean(false);
    ChatRequest request =
        new ChatRequest(
            body.path("model").asText(null),
            AnthropicRequests.messages(body),
            AnthropicRequests.tools(body.get("tools")),
            AnthropicRequests.toolChoice(body.get("tool_choice")),
            AnthropicRequests.outputFormat(body.get("output_format")),
            null,
            null,
            OpenAiRequests.optionalInt(body.get("max_tokens")),
            null,
            stream,
            null);
    return new ParsedChat(request, stream, true);
  }

  @Override
  public String errorBody(PlannedFailure failure) {
    String message =
        failure.kind() == PlannedFailure.Kind.CONTEXT_LENGTH
            ? "prompt is too long: 8193 tokens > 8192 maximum"
            : failure.message();
    ObjectNode root = Wires.object().put("type", "error");
    root.set(
        "error", Wires.object().put("type", errorType(failure.status())).put("message", message));
    return Wires.json(root);
  }

  private static String errorType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  @Override
  public String response(Answer answer, Render render) {
    ObjectNode root = message(render);
    root.putArray("content").add(block(answer, render, true));
    root.put("stop_reason", answer.finishReason().anthropicName());
    root.putNull("stop_sequence");
    if (render.usage()) {
      root.set("usage", usage(answer.inputTokens(), answer.outputTokens()));
    }
    return Wires.json(root);
  }

  @Override
  public StreamEvents stream(Answer answer, Render render, ParsedChat chat) {
    ObjectNode start = Wires.object().put("type", "message_start");
    ObjectNode message = message(render);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    if (render.usage()) {
      message.set("usage", usage(answer.inputTokens(), 1));
    }
    start.set("message", message);
    ObjectNode blockStart = Wires.object().put("type", "content_block_start").put("index", 0);
    blockStart.set("content_block", block(answer, render, false));
    List<String> opening =
        List.of(Wires.sse("message_start", start), Wires.sse("content_block_start", blockStart));
    List<String> tokens = new ArrayList<>();
    for (String piece : answer.pieces()) {
      tokens.add(Wires.sse("content_block_delta", delta(answer, render, piece)));
    }
    ObjectNode messageDelta = Wires.object().put("type", "message_delta");
    messageDelta.set(
        "delta",
        Wires.object()
            .put("stop_reason", answer.finishReason().anthropicName())
            .putNull("stop_sequence"));
    if (render.usage()) {
      messageDelta.set("usage", Wires.object().put("output_tokens", answer.outputTokens()));
    }
    List<String> closing =
        List.of(
            Wires.sse(
                "content_block_stop",
                Wires.object().put("type", "content_block_stop").put("index", 0)),
            Wires.sse("message_delta", messageDelta));
    String stop = Wires.sse("message_stop", Wires.object().put("type", "message_stop"));
    String malformed =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\n\n";
    String error =
        Wires.sse(
            "error",
            Wires.object()
                .put("type", "error")
                .set(
                    "error",
                    Wires.object().put("type", "overloaded_error").put("message", "Overloaded")));
    return new StreamEvents("text/event-stream", opening, tokens, closing, stop, malformed, error);
  }

  private static ObjectNode message(Render render) {
    return Wires.object()
        .put("id", "msg_sim_" + render.id())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", render.model());
  }

  /** The content block; when streaming, its text or input starts empty and arrives in deltas. */
  private static ObjectNode block(Answer answer, Render render, boolean complete) {
    if (answer.isToolCall()) {
      ObjectNode block =
          Wires.object()
              .put("type", "tool_use")
              .put("id", "toolu_sim_" + render.id())
              .put("name", answer.toolName());
      if (!complete) {
        block.putObject("input");
      } else if (render.toolArgsDrift()) {
        block.put("input", answer.toolArgumentsText());
      } else {
        block.set("input", answer.toolArguments());
      }
      return block;
    }
    return Wires.object()
        .put("type", "text")
        .put(render.renamedFields() ? "content" : "text", complete ? answer.text() : "");
  }

  private static ObjectNode delta(Answer answer, Render render, String piece) {
    ObjectNode delta =
        answer.isToolCall()
            ? Wires.object().put("type", "input_json_delta").put("partial_json", piece)
            : Wires.object()
                .put("type", "text_delta")
                .put(render.renamedFields() ? "content" : "text", piece);
    ObjectNode event = Wires.object().put("type", "content_block_delta").put("index", 0);
    event.set("delta", delta);
    return event;
  }

  private static ObjectNode usage(int input, int output) {
    return Wires.object().put("input_tokens", input).put("output_tokens", output);
  }
}
