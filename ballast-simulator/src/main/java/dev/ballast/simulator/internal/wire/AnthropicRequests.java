package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/** Reads Anthropic Messages requests into the normalized model. */
final class AnthropicRequests {
  private AnthropicRequests() {}

  static List<Message> messages(JsonNode body) {
    List<Message> out = new ArrayList<>();
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      out.add(Message.text(Role.SYSTEM, text(system)));
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("'messages' is required and must be an array");
    }
    for (JsonNode m : messages) {
      out.add(message(m));
    }
    return out;
  }

  private static Message message(JsonNode m) {
    Role role = Role.fromWire(Wires.requiredText(m, "role"));
    JsonNode content = m.get("content");
    if (content == null || content.isTextual()) {
      return Message.text(role, content == null ? "" : content.asText());
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    String toolResultFor = null;
    for (JsonNode block : content) {
      switch (block.path("type").asText()) {
        case "text" -> parts.add(new ContentPart.Text(block.path("text").asText()));
        case "tool_use" ->
            calls.add(
                new ToolCall(
                    block.path("id").asText(),
                    block.path("name").asText(),
                    block.path("input").toString()));
        case "tool_result" -> {
          toolResultFor = block.path("tool_use_id").asText();
          parts.add(new ContentPart.Text(text(block.path("content"))));
        }
        default -> {
          // Images and documents do not change the simulated answer.
        }
      }
    }
    // A user turn made of tool results answers a call: it is not a new user question.
    Role effective = toolResultFor != null ? Role.TOOL : role;
    return new Message(effective, parts, null, calls, toolResultFor);
  }

  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    StringBuilder sb = new StringBuilder();
    node.forEach(b -> sb.append(b.path("text").asText()));
    return sb.toString();
  }

  static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> out = new ArrayList<>();
    for (JsonNode t : tools == null ? Wires.array() : tools) {
      out.add(
          new ToolDefinition(
              Wires.requiredText(t, "name"),
              t.path("description").asText(null),
              t.get("input_schema")));
    }
    return out;
  }

  /** Anthropic's tool_choice in OpenAI's shape, which the normalized model uses. */
  static JsonNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    return switch (choice.path("type").asText()) {
      case "none" -> JsonNodeFactory.instance.textNode("none");
      case "any" -> JsonNodeFactory.instance.textNode("required");
      case "tool" -> {
        var node = Wires.object().put("type", "function");
        node.putObject("function").put("name", choice.path("name").asText());
        yield node;
      }
      default -> JsonNodeFactory.instance.textNode("auto");
    };
  }

  static ResponseFormat outputFormat(JsonNode format) {
    if (format == null || !"json_schema".equals(format.path("type").asText())) {
      return null;
    }
    return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, format.get("schema"), true);
  }
}
