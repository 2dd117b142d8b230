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

/** Reads Gemini {@code generateContent} requests into the normalized model. */
final class GeminiRequests {
  private GeminiRequests() {}

  static List<Message> messages(JsonNode body) {
    List<Message> out = new ArrayList<>();
    JsonNode system = body.path("systemInstruction").path("parts");
    if (system.isArray() && !system.isEmpty()) {
      out.add(Message.text(Role.SYSTEM, text(system)));
    }
    JsonNode contents = body.get("contents");
    if (contents == null || !contents.isArray() || contents.isEmpty()) {
      throw new IllegalArgumentException("'contents' is required and must be a non-empty array");
    }
    for (JsonNode content : contents) {
      out.add(message(content));
    }
    return out;
  }

  private static Message message(JsonNode content) {
    String role = content.path("role").asText("user");
    if (!role.equals("user") && !role.equals("model")) {
      throw new IllegalArgumentException("role must be user or model, but was \"" + role + "\"");
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    String answered = null;
    for (JsonNode part : content.path("parts")) {
      if (part.has("text")) {
        parts.add(new ContentPart.Text(part.path("text").asText()));
      } else if (part.has("functionCall")) {
        JsonNode call = part.get("functionCall");
        String name = call.path("name").asText();
        calls.add(new ToolCall(call.path("id").asText(name), name, call.path("args").toString()));
      } else if (part.has("functionResponse")) {
        JsonNode response = part.get("functionResponse");
        answered = response.path("id").asText(response.path("name").asText());
        parts.add(new ContentPart.Text(response.path("response").toString()));
      }
      // inlineData and fileData do not change the simulated answer.
    }
    // A user turn of function responses answers a call: it is not a new user question.
    Role normalized =
        answered != null ? Role.TOOL : role.equals("model") ? Role.ASSISTANT : Role.USER;
    return new Message(normalized, parts, null, calls, answered);
  }

  static String text(JsonNode parts) {
    StringBuilder sb = new StringBuilder();
    parts.forEach(p -> sb.append(p.path("text").asText()));
    return sb.toString();
  }

  static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> out = new ArrayList<>();
    for (JsonNode tool : tools == null ? Wires.array() : tools) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        out.add(
            new ToolDefinition(
                Wires.requiredText(declaration, "name"),
                declaration.path("description").asText(null),
                declaration.get("parameters")));
      }
    }
    return out;
  }

  /** The function-calling mode in OpenAI's tool_choice shape, which the normalized model uses. */
  static JsonNode toolChoice(JsonNode config) {
    if (config.isMissingNode()) {
      return null;
    }
    JsonNode allowed = config.path("allowedFunctionNames");
    return switch (config.path("mode").asText("AUTO")) {
      case "NONE" -> JsonNodeFactory.instance.textNode("none");
      case "ANY" -> {
        if (allowed.size() == 1) {
          var node = Wires.object().put("type", "function");
          node.putObject("function").put("name", allowed.get(0).asText());
          yield node;
        }
        yield JsonNodeFactory.instance.textNode("required");
      }
      default -> JsonNodeFactory.instance.textNode("auto");
    };
  }

  static ResponseFormat responseFormat(JsonNode config) {
    if (!"application/json".equals(config.path("responseMimeType").asText())) {
      return null;
    }
    JsonNode schema = config.get("responseSchema");
    return schema == null
        ? new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)
        : new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, schema, true);
  }
}
