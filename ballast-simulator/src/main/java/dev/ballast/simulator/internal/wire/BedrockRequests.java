package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/** Reads Bedrock Converse requests into the normalized model. */
final class BedrockRequests {
  private BedrockRequests() {}

  static List<Message> messages(JsonNode body) {
    List<Message> out = new ArrayList<>();
    JsonNode system = body.get("system");
    if (system != null && system.isArray() && !system.isEmpty()) {
      out.add(Message.text(Role.SYSTEM, GeminiRequests.text(system)));
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' is required and must be a non-empty array");
    }
    for (JsonNode m : messages) {
      out.add(message(m));
    }
    return out;
  }

  private static Message message(JsonNode m) {
    Role role = Role.fromWire(Wires.requiredText(m, "role"));
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    String toolResultFor = null;
    for (JsonNode block : m.path("content")) {
      if (block.has("text")) {
        parts.add(new ContentPart.Text(block.path("text").asText()));
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        calls.add(
            new ToolCall(
                use.path("toolUseId").asText(),
                use.path("name").asText(),
                use.path("input").toString()));
      } else if (block.has("toolResult")) {
        JsonNode result = block.get("toolResult");
        toolResultFor = result.path("toolUseId").asText();
        parts.add(new ContentPart.Text(GeminiRequests.text(result.path("content"))));
      }
      // Images and documents do not change the simulated answer.
    }
    // A user turn made of tool results answers a call: it is not a new user question.
    Role effective = toolResultFor != null ? Role.TOOL : role;
    return new Message(effective, parts, null, calls, toolResultFor);
  }

  static List<ToolDefinition> tools(JsonNode toolConfig) {
    List<ToolDefinition> out = new ArrayList<>();
    for (JsonNode tool : toolConfig.path("tools")) {
      JsonNode spec = tool.path("toolSpec");
      out.add(
          new ToolDefinition(
              Wires.requiredText(spec, "name"),
              spec.path("description").asText(null),
              spec.path("inputSchema").get("json")));
    }
    return out;
  }

  /** Converse's toolChoice in OpenAI's shape, which the normalized model uses. */
  static JsonNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull() || choice.isMissingNode()) {
      return null;
    }
    if (choice.has("any")) {
      return JsonNodeFactory.instance.textNode("required");
    }
    if (choice.has("tool")) {
      var node = Wires.object().put("type", "function");
      node.putObject("function").put("name", choice.path("tool").path("name").asText());
      return node;
    }
    return JsonNodeFactory.instance.textNode("auto");
  }
}
