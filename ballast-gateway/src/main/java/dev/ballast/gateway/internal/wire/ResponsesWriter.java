package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.List;

/**
 * Renders normalized answers as OpenAI Responses API objects. Output items get ids derived from the
 * response's own ({@code msg_...}, {@code fc_..._N}), so a stream's items and the final object it
 * ends with name the same items.
 */
public final class ResponsesWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Request fields a response object echoes back, with the API's defaults. */
  private static final List<String> ECHOED =
      List.of(
          "instructions",
          "max_output_tokens",
          "previous_response_id",
          "temperature",
          "top_p",
          "tool_choice",
          "tools",
          "text",
          "metadata",
          "parallel_tool_calls",
          "user");

  private ResponsesWriter() {}

  /** The identity of one response: its id, creation second, model and the request it answers. */
  public record Header(String id, long createdAt, String model, JsonNode request) {
    public String messageId() {
      return "msg_" + id.substring("resp_".length());
    }

    public String functionCallId(int index) {
      return "fc_" + id.substring("resp_".length()) + "_" + index;
    }
  }

  /** A finished answer: {@code completed}, or {@code incomplete} when a limit cut it short. */
  public static ObjectNode response(Header header, ChatResponse response) {
    FinishReason finish = response.finishReason();
    boolean incomplete = finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER;
    ObjectNode root = base(header, incomplete ? "incomplete" : "completed");
    if (response.model() != null) {
      root.put("model", response.model());
    }
    if (incomplete) {
      root.putObject("incomplete_details")
          .put("reason", finish == FinishReason.LENGTH ? "max_output_tokens" : "content_filter");
    }
    ArrayNode output = root.putArray("output");
    String text = response.message() == null ? "" : response.message().text();
    List<ToolCall> calls = response.message() == null ? List.of() : response.message().toolCalls();
    String itemStatus = incomplete ? "incomplete" : "completed";
    if (!text.isEmpty() || calls.isEmpty()) {
      output.add(messageItem(header.messageId(), itemStatus, text));
    }
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      output.add(
          functionCallItem(
              header.functionCallId(i), call.id(), call.name(), call.arguments(), "completed"));
    }
    root.set("usage", usage(response.usage()));
    return root;
  }

  /** The response as {@code response.created} and {@code response.in_progress} carry it. */
  public static ObjectNode inProgress(Header header) {
    ObjectNode root = base(header, "in_progress");
    root.putArray("output");
    root.putNull("usage");
    return root;
  }

  /** The response as {@code response.failed} carries it. */
  public static ObjectNode failed(Header header, ApiError error) {
    ObjectNode root = base(header, "failed");
    root.putArray("output");
    root.putNull("usage");
    root.putObject("error")
        .put("code", error.code() == null ? "server_error" : error.code())
        .put("message", error.getMessage());
    return root;
  }

  public static ObjectNode messageItem(String id, String status, String text) {
    ObjectNode item = F.objectNode();
    item.put("type", "message");
    item.put("id", id);
    item.put("status", status);
    item.put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(textPart(text));
    }
    return item;
  }

  public static ObjectNode textPart(String text) {
    ObjectNode part = F.objectNode();
    part.put("type", "output_text");
    part.put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  public static ObjectNode functionCallItem(
      String id, String callId, String name, String arguments, String status) {
    ObjectNode item = F.objectNode();
    item.put("type", "function_call");
    item.put("id", id);
    item.put("call_id", callId);
    item.put("name", name);
    item.put("arguments", arguments == null ? "" : arguments);
    item.put("status", status);
    return item;
  }

  static ObjectNode usage(Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    ObjectNode node = F.objectNode();
    node.put("input_tokens", u.inputTokens());
    node.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens());
    node.put("output_tokens", u.outputTokens());
    node.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    node.put("total_tokens", u.totalTokens());
    if (u.estimated()) {
      node.put("ballast_estimated", true);
    }
    return node;
  }

  private static ObjectNode base(Header header, String status) {
    ObjectNode root = F.objectNode();
    root.put("id", header.id());
    root.put("object", "response");
    root.put("created_at", header.createdAt());
    root.put("status", status);
    root.putNull("error");
    root.putNull("incomplete_details");
    root.put("model", header.model());
    JsonNode request = header.request();
    for (String field : ECHOED) {
      JsonNode value = request.get(field);
      root.set(field, value == null ? defaultOf(field) : value.deepCopy());
    }
    JsonNode store = request.get("store");
    root.put("store", store == null || store.isNull() || store.asBoolean());
    return root;
  }

  private static JsonNode defaultOf(String field) {
    return switch (field) {
      case "tools" -> F.arrayNode();
      case "metadata" -> F.objectNode();
      case "tool_choice" -> F.textNode("auto");
      case "parallel_tool_calls" -> F.booleanNode(true);
      case "text" -> {
        ObjectNode text = F.objectNode();
        text.putObject("format").put("type", "text");
        yield text;
      }
      default -> F.nullNode();
    };
  }
}
