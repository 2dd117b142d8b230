package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/** Reads Anthropic Messages request bodies into the normalized model. */
public final class AnthropicRequestReader {
  private AnthropicRequestReader() {}

  public static ChatRequest messages(JsonNode body) {
    return read(body, true);
  }

  /**
   * Parses a {@code /v1/messages/count_tokens} body: a messages body without {@code max_tokens},
   * since nothing is generated.
   */
  public static ChatRequest countTokens(JsonNode body) {
    return read(body, false);
  }

  private static ChatRequest read(JsonNode body, boolean generates) {
    OpenAiRequestReader.requireObject(body);
    String model = JsonFields.string(body, "model", "model", true);
    Integer maxTokens = JsonFields.integer(body, "max_tokens", "max_tokens");
    if (maxTokens == null && generates) {
      throw ApiError.missing("max_tokens");
    }
    List<Message> messages = new ArrayList<>();
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      messages.add(new Message(Role.SYSTEM, blocksText(system, "system"), null, null, null));
    }
    JsonNode list = JsonFields.array(body, "messages", "messages", true);
    if (list.isEmpty()) {
      throw ApiError.invalid("messages", "messages: at least one message is required");
    }
    for (int i = 0; i < list.size(); i++) {
      addMessage(list.get(i), "messages." + i, messages);
    }
    List<ToolDefinition> tools = new ArrayList<>();
    JsonNode toolsNode = JsonFields.array(body, "tools", "tools", false);
    if (toolsNode != null) {
      for (int i = 0; i < toolsNode.size(); i++) {
        JsonNode t = toolsNode.get(i);
        String p = "tools." + i;
        tools.add(
            new ToolDefinition(
                RequestSchemas.toolName(
                    JsonFields.string(t, "name", p + ".name", true), p + ".name", 128),
                JsonFields.string(t, "description", p + ".description", false),
                RequestSchemas.schema(
                    JsonFields.object(t, "input_schema", p + ".input_schema", true),
                    p + ".input_schema")));
      }
    }
    return new ChatRequest(
        model,
        messages,
        tools,
        toolChoice(JsonFields.object(body, "tool_choice", "tool_choice", false)),
        null,
        JsonFields.number(body, "temperature", "temperature"),
        JsonFields.number(body, "top_p", "top_p"),
        maxTokens,
        JsonFields.stringOrList(body, "stop_sequences", "stop_sequences"),
        generates && JsonFields.bool(body, "stream", "stream"),
        null);
  }

  private static void addMessage(JsonNode node, String path, List<Message> out) {
    if (!node.isObject()) {
      throw ApiError.wrongType(path, "an object");
    }
    String roleName = JsonFields.string(node, "role", path + ".role", true);
    if (!roleName.equals("user") && !roleName.equals("assistant")) {
      throw ApiError.invalid(path + ".role", path + ".role: Input should be 'user' or 'assistant'");
    }
    Role role = Role.fromWire(roleName);
    JsonNode content = node.get("content");
    if (content == null || content.isNull()) {
      throw ApiError.missing(path + ".content");
    }
    if (content.isTextual()) {
      out.add(Message.text(role, content.asText()));
      return;
    }
    if (!content.isArray()) {
      throw ApiError.wrongType(path + ".content", "a string or an array of content blocks");
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String p = path + ".content." + i;
      String type = JsonFields.string(block, "type", p + ".type", true);
      switch (type) {
        case "text" ->
            parts.add(new ContentPart.Text(JsonFields.string(block, "text", p + ".text", true)));
        case "image" ->
            parts.add(
                image(JsonFields.object(block, "source", p + ".source", true), p + ".source"));
        case "tool_use" ->
            calls.add(
                new ToolCall(
                    JsonFields.string(block, "id", p + ".id", true),
                    JsonFields.string(block, "name", p + ".name", true),
                    block.path("input").isMissingNode() ? "{}" : block.get("input").toString()));
        case "tool_result" -> {
          // A tool result is its own message in the normalized model, as in OpenAI's.
          JsonNode result = block.get("content");
          List<ContentPart> resultParts =
              result == null || result.isNull() ? List.of() : blocksText(result, p + ".content");
          out.add(
              new Message(
                  Role.TOOL,
                  resultParts,
                  null,
                  null,
                  JsonFields.string(block, "tool_use_id", p + ".tool_use_id", true)));
        }
        default ->
            throw ApiError.invalid(
                p + ".type", p + ".type: unsupported content block type '" + type + "'");
      }
    }
    if (!parts.isEmpty() || !calls.isEmpty()) {
      out.add(new Message(role, parts, null, calls, null));
    }
  }

  private static ContentPart image(JsonNode source, String path) {
    String type = JsonFields.string(source, "type", path + ".type", true);
    return switch (type) {
      case "base64" ->
          new ContentPart.Image(
              "data:"
                  + JsonFields.string(source, "media_type", path + ".media_type", true)
                  + ";base64,"
                  + JsonFields.string(source, "data", path + ".data", true),
              null);
      case "url" ->
          new ContentPart.Image(JsonFields.string(source, "url", path + ".url", true), null);
      default -> throw ApiError.invalid(path + ".type", path + ".type: expected 'base64' or 'url'");
    };
  }

  private static List<ContentPart> blocksText(JsonNode node, String path) {
    if (node.isTextual()) {
      return List.of(new ContentPart.Text(node.asText()));
    }
    if (!node.isArray()) {
      throw ApiError.wrongType(path, "a string or an array of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode block = node.get(i);
      String type = JsonFields.string(block, "type", path + "." + i + ".type", true);
      if (type.equals("text")) {
        parts.add(
            new ContentPart.Text(JsonFields.string(block, "text", path + "." + i + ".text", true)));
      } else if (type.equals("image")) {
        parts.add(
            image(
                JsonFields.object(block, "source", path + "." + i + ".source", true),
                path + "." + i + ".source"));
      } else {
        throw ApiError.invalid(path + "." + i + ".type", path + "." + i + ".type: expected 'text'");
      }
    }
    return parts;
  }

  /** Maps Anthropic's tool_choice to the OpenAI shape the normalized model uses. */
  private static JsonNode toolChoice(JsonNode node) {
    if (node == null) {
      return null;
    }
    String type = JsonFields.string(node, "type", "tool_choice.type", true);
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (type) {
      case "auto" -> f.textNode("auto");
      case "any" -> f.textNode("required");
      case "none" -> f.textNode("none");
      case "tool" -> {
        ObjectNode choice = f.objectNode();
        choice.put("type", "function");
        choice
            .putObject("function")
            .put("name", JsonFields.string(node, "name", "tool_choice.name", true));
        yield choice;
      }
      default ->
          throw ApiError.invalid(
              "tool_choice.type", "tool_choice.type: expected 'auto', 'any', 'tool' or 'none'");
    };
  }
}
