package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI-shaped messages and tools (Ollama uses the same shapes). */
final class OpenAiRequests {
  private OpenAiRequests() {}

  static List<Message> messages(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("'messages' is required and must be an array");
    }
    List<Message> out = new ArrayList<>();
    for (JsonNode m : messages) {
      Role role = Role.fromWire(Wires.requiredText(m, "role"));
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode c : m.path("tool_calls")) {
        JsonNode f = c.path("function");
        JsonNode args = f.path("arguments");
        calls.add(
            new ToolCall(
                c.path("id").asText(null),
                f.path("name").asText(),
                args.isTextual() ? args.asText() : args.toString()));
      }
      out.add(
          new Message(
              role, content(m.get("content")), m.path("name").asText(null), calls, toolCallId(m)));
    }
    return out;
  }

  private static String toolCallId(JsonNode m) {
    return m.path("tool_call_id").asText(null);
  }

  private static List<ContentPart> content(JsonNode content) {
    if (content == null || content.isNull()) {
      return List.of();
    } else if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode part : content) {
      switch (part.path("type").asText()) {
        case "text" -> parts.add(new ContentPart.Text(part.path("text").asText()));
        case "image_url" ->
            parts.add(
                new ContentPart.Image(
                    part.path("image_url").path("url").asText(),
                    part.path("image_url").path("detail").asText(null)));
        default -> {
          // Parts the simulator does not answer to (audio, files) do not change the answer.
        }
      }
    }
    return parts;
  }

  static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> out = new ArrayList<>();
    for (JsonNode t : tools == null ? Wires.array() : tools) {
      JsonNode f = t.has("function") ? t.get("function") : t;
      out.add(
          new ToolDefinition(
              Wires.requiredText(f, "name"),
              f.path("description").asText(null),
              f.get("parameters")));
    }
    return out;
  }

  static ResponseFormat responseFormat(JsonNode format) {
    if (format == null || format.isNull()) {
      return null;
    }
    return switch (format.path("type").asText()) {
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
      case "json_schema" -> {
        JsonNode js = format.path("json_schema");
        yield new ResponseFormat(
            ResponseFormat.Type.JSON_SCHEMA,
            js.path("name").asText(null),
            js.get("schema"),
            js.path("strict").asBoolean(false));
      }
      default -> ResponseFormat.text();
    };
  }

  static Integer optionalInt(JsonNode node) {
    return node == null || !node.isNumber() ? null : node.asInt();
  }
}
