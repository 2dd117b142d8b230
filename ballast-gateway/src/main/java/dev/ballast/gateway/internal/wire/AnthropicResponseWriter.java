package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;

/** Renders normalized answers in Anthropic's Messages wire format. */
public final class AnthropicResponseWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AnthropicResponseWriter() {}

  public static ObjectNode message(String id, ChatResponse response) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", response.model());
    ArrayNode content = root.putArray("content");
    String text = response.message() == null ? "" : response.message().text();
    if (!text.isEmpty() || response.message() == null || response.message().toolCalls().isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    if (response.message() != null) {
      for (ToolCall call : response.message().toolCalls()) {
        ObjectNode block = content.addObject();
        block.put("type", "tool_use");
        block.put("id", call.id());
        block.put("name", call.name());
        block.set("input", parseArguments(call.arguments()));
      }
    }
    root.put("stop_reason", stopReason(response.finishReason()));
    root.putNull("stop_sequence");
    root.set("usage", usage(response.usage()));
    return root;
  }

  public static ObjectNode messageStart(String id, String model, int inputTokens) {
    ObjectNode root = F.objectNode();
    root.put("type", "message_start");
    ObjectNode message = root.putObject("message");
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 0);
    return root;
  }

  public static ObjectNode textBlockStart(int index) {
    ObjectNode root = F.objectNode().put("type", "content_block_start").put("index", index);
    root.putObject("content_block").put("type", "text").put("text", "");
    return root;
  }

  public static ObjectNode toolBlockStart(int index, String id, String name) {
    ObjectNode root = F.objectNode().put("type", "content_block_start").put("index", index);
    ObjectNode block =
        root.putObject("content_block").put("type", "tool_use").put("id", id).put("name", name);
    block.putObject("input");
    return root;
  }

  public static ObjectNode textDelta(int index, String text) {
    ObjectNode root = F.objectNode().put("type", "content_block_delta").put("index", index);
    root.putObject("delta").put("type", "text_delta").put("text", text);
    return root;
  }

  public static ObjectNode jsonDelta(int index, String partialJson) {
    ObjectNode root = F.objectNode().put("type", "content_block_delta").put("index", index);
    root.putObject("delta").put("type", "input_json_delta").put("partial_json", partialJson);
    return root;
  }

  public static ObjectNode blockStop(int index) {
    return F.objectNode().put("type", "content_block_stop").put("index", index);
  }

  /**
   * The stream's last delta: stop reason and usage, with Ballast's {@code cost_usd} (a stream's
   * headers were sent before the cost was known).
   */
  public static ObjectNode messageDelta(ChatResponse response, double costUsd) {
    ObjectNode root = F.objectNode().put("type", "message_delta");
    root.putObject("delta")
        .put("stop_reason", stopReason(response.finishReason()))
        .putNull("stop_sequence");
    root.set("usage", usage(response.usage()).put("cost_usd", Usd.of(costUsd)));
    return root;
  }

  public static ObjectNode messageStop() {
    return F.objectNode().put("type", "message_stop");
  }

  /** Anthropic's error shape, mapping the gateway's error types onto Anthropic's. */
  public static ObjectNode error(ApiError error) {
    ObjectNode root = F.objectNode().put("type", "error");
    root.putObject("error").put("type", errorType(error)).put("message", error.getMessage());
    return root;
  }

  static String errorType(ApiError error) {
    return switch (error.status()) {
      case 400, 413, 422 -> error.status() == 413 ? "request_too_large" : "invalid_request_error";
      case 401 -> "authentication_error";
      case 402, 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  private static String stopReason(FinishReason reason) {
    return reason == null ? "end_turn" : reason.anthropicName();
  }

  private static ObjectNode usage(Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    ObjectNode node = F.objectNode();
    node.put("input_tokens", u.inputTokens() - u.cachedTokens());
    node.put("output_tokens", u.outputTokens());
    node.put("cache_read_input_tokens", u.cachedTokens());
    node.put("cache_creation_input_tokens", 0);
    return node;
  }

  private static JsonNode parseArguments(String arguments) {
    try {
      return Json.mapper().readTree(arguments);
    } catch (JsonProcessingException e) {
      // The validator rejects invalid arguments before rendering; keep the text if one slips by.
      return F.textNode(arguments);
    }
  }
}
