package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI-shaped request bodies into the normalized model, rejecting bad input with 400s. */
public final class OpenAiRequestReader {
  private OpenAiRequestReader() {}

  /** Parses a {@code /v1/chat/completions} body. */
  public static ChatRequest chat(JsonNode body) {
    requireObject(body);
    String model = JsonFields.string(body, "model", "model", true);
    JsonNode messagesNode = JsonFields.array(body, "messages", "messages", true);
    if (messagesNode.isEmpty()) {
      throw ApiError.invalid(
          "messages",
          "Invalid 'messages': empty array. Expected an array with at least one message.");
    }
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < messagesNode.size(); i++) {
      messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
    }
    List<ToolDefinition> tools = tools(JsonFields.array(body, "tools", "tools", false));
    JsonNode toolChoice = body.get("tool_choice");
    Integer maxTokens = JsonFields.integer(body, "max_completion_tokens", "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = JsonFields.integer(body, "max_tokens", "max_tokens");
    }
    Integer n = JsonFields.integer(body, "n", "n");
    if (n != null && n != 1) {
      throw ApiError.invalid("n", "Invalid 'n': only n=1 is supported by this gateway.");
    }
    return new ChatRequest(
        model,
        messages,
        tools,
        toolChoice == null || toolChoice.isNull() ? null : toolChoice,
        responseFormat(JsonFields.object(body, "response_format", "response_format", false)),
        JsonFields.number(body, "temperature", "temperature"),
        JsonFields.number(body, "top_p", "top_p"),
        maxTokens,
        JsonFields.stringOrList(body, "stop", "stop"),
        JsonFields.bool(body, "stream", "stream"),
        JsonFields.string(body, "user", "user", false));
  }

  /** Whether a streaming request asked for a final usage chunk. */
  public static boolean includeUsage(JsonNode body) {
    JsonNode options = body.get("stream_options");
    return options != null && options.path("include_usage").asBoolean(false);
  }

  /** Parses a {@code /v1/embeddings} body. */
  public static EmbeddingRequest embeddings(JsonNode body) {
    requireObject(body);
    String model = JsonFields.string(body, "model", "model", true);
    if (body.get("input") == null || body.get("input").isNull()) {
      throw ApiError.missing("input");
    }
    if (body.get("input").isArray()
        && !body.get("input").isEmpty()
        && body.get("input").get(0).isNumber()) {
      throw ApiError.invalid(
          "input", "Invalid 'input': token arrays are not supported; send text.");
    }
    List<String> input = JsonFields.stringOrList(body, "input", "input");
    if (input.isEmpty()) {
      throw ApiError.invalid("input", "Invalid 'input': expected at least one string.");
    }
    // As OpenAI does: an empty string has nothing to embed, and no model answers it.
    for (int i = 0; i < input.size(); i++) {
      if (input.get(i).isEmpty()) {
        String param = body.get("input").isArray() ? "input[" + i + "]" : "input";
        throw ApiError.invalid(param, "Invalid '" + param + "': the text to embed is empty.");
      }
    }
    String format = JsonFields.string(body, "encoding_format", "encoding_format", false);
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw ApiError.invalid(
          "encoding_format", "Invalid 'encoding_format': expected 'float' or 'base64'.");
    }
    return new EmbeddingRequest(model, input, JsonFields.integer(body, "dimensions", "dimensions"));
  }

  public static void requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new ApiError(
          400,
          "invalid_request_error",
          "invalid_json",
          null,
          "The request body must be a JSON object.");
    }
  }

  private static Message message(JsonNode node, String path) {
    if (!node.isObject()) {
      throw ApiError.wrongType(path, "an object");
    }
    String roleName = JsonFields.string(node, "role", path + ".role", true);
    Role role;
    try {
      role = Role.fromWire(roleName);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(
          path + ".role",
          "Invalid '"
              + path
              + ".role': '"
              + roleName
              + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.");
    }
    List<ContentPart> parts = content(node.get("content"), path + ".content");
    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = JsonFields.array(node, "tool_calls", path + ".tool_calls", false);
    if (toolCalls != null) {
      for (int i = 0; i < toolCalls.size(); i++) {
        String p = path + ".tool_calls[" + i + "]";
        JsonNode call = toolCalls.get(i);
        JsonNode function = JsonFields.object(call, "function", p + ".function", true);
        JsonNode args = function.get("arguments");
        calls.add(
            new ToolCall(
                JsonFields.string(call, "id", p + ".id", true),
                JsonFields.string(function, "name", p + ".function.name", true),
                args == null || args.isNull()
                    ? "{}"
                    : args.isTextual() ? args.asText() : args.toString()));
      }
    }
    String toolCallId =
        JsonFields.string(node, "tool_call_id", path + ".tool_call_id", role == Role.TOOL);
    return new Message(
        role, parts, JsonFields.string(node, "name", path + ".name", false), calls, toolCallId);
  }

  private static List<ContentPart> content(JsonNode node, String path) {
    List<ContentPart> parts = new ArrayList<>();
    if (node == null || node.isNull()) {
      return parts;
    }
    if (node.isTextual()) {
      parts.add(new ContentPart.Text(node.asText()));
      return parts;
    }
    if (!node.isArray()) {
      throw ApiError.wrongType(path, "a string or an array of content parts");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode part = node.get(i);
      String p = path + "[" + i + "]";
      String type = JsonFields.string(part, "type", p + ".type", true);
      switch (type) {
        case "text" ->
            parts.add(new ContentPart.Text(JsonFields.string(part, "text", p + ".text", true)));
        case "image_url" -> {
          JsonNode image = JsonFields.object(part, "image_url", p + ".image_url", true);
          parts.add(
              new ContentPart.Image(
                  JsonFields.string(image, "url", p + ".image_url.url", true),
                  JsonFields.string(image, "detail", p + ".image_url.detail", false)));
        }
        default ->
            throw ApiError.invalid(
                p + ".type",
                "Invalid '"
                    + p
                    + ".type': '"
                    + type
                    + "'. Supported values are: 'text' and 'image_url'.");
      }
    }
    return parts;
  }

  private static List<ToolDefinition> tools(JsonNode node) {
    List<ToolDefinition> tools = new ArrayList<>();
    if (node == null) {
      return tools;
    }
    for (int i = 0; i < node.size(); i++) {
      String p = "tools[" + i + "]";
      JsonNode tool = node.get(i);
      if (!tool.isObject()) {
        throw ApiError.wrongType(p, "an object");
      }
      String type = JsonFields.string(tool, "type", p + ".type", true);
      if (!type.equals("function")) {
        throw ApiError.invalid(
            p + ".type", "Invalid '" + p + ".type': only 'function' tools are supported.");
      }
      JsonNode function = JsonFields.object(tool, "function", p + ".function", true);
      JsonNode parameters =
          JsonFields.object(function, "parameters", p + ".function.parameters", false);
      tools.add(
          new ToolDefinition(
              JsonFields.string(function, "name", p + ".function.name", true),
              JsonFields.string(function, "description", p + ".function.description", false),
              parameters));
    }
    return tools;
  }

  private static ResponseFormat responseFormat(JsonNode node) {
    if (node == null) {
      return null;
    }
    String type = JsonFields.string(node, "type", "response_format.type", true);
    return switch (type) {
      case "text" -> ResponseFormat.text();
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
      case "json_schema" -> {
        JsonNode spec = JsonFields.object(node, "json_schema", "response_format.json_schema", true);
        JsonNode schema =
            JsonFields.object(spec, "schema", "response_format.json_schema.schema", false);
        yield new ResponseFormat(
            ResponseFormat.Type.JSON_SCHEMA,
            JsonFields.string(spec, "name", "response_format.json_schema.name", true),
            schema,
            JsonFields.bool(spec, "strict", "response_format.json_schema.strict"));
      }
      default ->
          throw ApiError.invalid(
              "response_format.type",
              "Invalid 'response_format.type': '"
                  + type
                  + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
    };
  }
}
