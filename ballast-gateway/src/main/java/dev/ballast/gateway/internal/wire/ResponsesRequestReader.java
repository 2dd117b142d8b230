package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenAI Responses API bodies ({@code POST /v1/responses}) into the normalized chat model:
 * {@code instructions} become a system message, input items become messages, a {@code
 * function_call} item joins the assistant message before it, a {@code function_call_output} is a
 * tool message.
 */
public final class ResponsesRequestReader {
  private ResponsesRequestReader() {}

  /** The parsed request: the chat call it maps to and what the Responses object echoes back. */
  public record ResponsesRequest(
      ChatRequest chat, boolean store, JsonNode metadata, String previousResponseId) {}

  public static ResponsesRequest read(JsonNode body) {
    OpenAiRequestReader.requireObject(body);
    String model = JsonFields.string(body, "model", "model", true);
    List<Message> messages = new ArrayList<>();
    String instructions = JsonFields.string(body, "instructions", "instructions", false);
    if (instructions != null) {
      messages.add(Message.text(Role.SYSTEM, instructions));
    }
    input(body.get("input"), messages);
    JsonNode store = body.get("store");
    if (store != null && !store.isNull() && !store.isBoolean()) {
      throw ApiError.wrongType("store", "a boolean");
    }
    JsonNode metadata = JsonFields.object(body, "metadata", "metadata", false);
    if (metadata != null && metadata.size() > 16) {
      throw ApiError.invalid(
          "metadata",
          "Invalid 'metadata': at most 16 keys, but " + metadata.size() + " were sent.");
    }
    ChatRequest chat =
        new ChatRequest(
            model,
            messages,
            tools(JsonFields.array(body, "tools", "tools", false)),
            toolChoice(body.get("tool_choice")),
            format(JsonFields.object(body, "text", "text", false)),
            JsonFields.number(body, "temperature", "temperature"),
            JsonFields.number(body, "top_p", "top_p"),
            JsonFields.integer(body, "max_output_tokens", "max_output_tokens"),
            null,
            JsonFields.bool(body, "stream", "stream"),
            JsonFields.string(body, "user", "user", false));
    return new ResponsesRequest(
        chat,
        store == null || store.isNull() || store.asBoolean(),
        metadata,
        JsonFields.string(body, "previous_response_id", "previous_response_id", false));
  }

  private static void input(JsonNode input, List<Message> out) {
    if (input == null || input.isNull()) {
      throw ApiError.missing("input");
    }
    if (input.isTextual()) {
      out.add(Message.text(Role.USER, input.asText()));
      return;
    }
    if (!input.isArray()) {
      throw ApiError.wrongType("input", "a string or an array of input items");
    }
    if (input.isEmpty()) {
      throw ApiError.invalid("input", "Invalid 'input': expected at least one input item.");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]", out);
    }
  }

  private static void item(JsonNode item, String path, List<Message> out) {
    if (!item.isObject()) {
      throw ApiError.wrongType(path, "an object");
    }
    String type = JsonFields.string(item, "type", path + ".type", false);
    if (type == null || type.equals("message")) {
      out.add(message(item, path));
      return;
    }
    switch (type) {
      case "function_call" -> {
        JsonNode args = item.get("arguments");
        ToolCall call =
            new ToolCall(
                JsonFields.string(item, "call_id", path + ".call_id", true),
                JsonFields.string(item, "name", path + ".name", true),
                args == null || args.isNull()
                    ? "{}"
                    : args.isTextual() ? args.asText() : args.toString());
        // Chat puts every call of a turn on one assistant message; the Responses API lists them
        // as items of their own, after the turn's text.
        Message last = out.isEmpty() ? null : out.getLast();
        if (last != null && last.role() == Role.ASSISTANT) {
          List<ToolCall> calls = new ArrayList<>(last.toolCalls());
          calls.add(call);
          out.set(out.size() - 1, new Message(Role.ASSISTANT, last.content(), null, calls, null));
        } else {
          out.add(new Message(Role.ASSISTANT, List.of(), null, List.of(call), null));
        }
      }
      case "function_call_output" -> {
        JsonNode output = item.get("output");
        if (output == null || output.isNull()) {
          throw ApiError.missing(path + ".output");
        }
        List<ContentPart> parts =
            output.isTextual()
                ? List.of(new ContentPart.Text(output.asText()))
                : content(output, path + ".output");
        out.add(
            new Message(
                Role.TOOL,
                parts,
                null,
                null,
                JsonFields.string(item, "call_id", path + ".call_id", true)));
      }
      // A reasoning item passed back from an earlier answer carries nothing a chat model reads.
      case "reasoning" -> {}
      default ->
          throw ApiError.invalid(
              path + ".type",
              "Invalid '"
                  + path
                  + ".type': '"
                  + type
                  + "'. Supported values are: 'message', 'function_call', 'function_call_output'"
                  + " and 'reasoning'.");
    }
  }

  private static Message message(JsonNode item, String path) {
    String roleName = JsonFields.string(item, "role", path + ".role", true);
    Role role =
        switch (roleName) {
          case "user" -> Role.USER;
          case "assistant" -> Role.ASSISTANT;
          case "system", "developer" -> Role.SYSTEM;
          default ->
              throw ApiError.invalid(
                  path + ".role",
                  "Invalid '"
                      + path
                      + ".role': '"
                      + roleName
                      + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.");
        };
    JsonNode content = item.get("content");
    if (content == null || content.isNull()) {
      throw ApiError.missing(path + ".content");
    }
    List<ContentPart> parts =
        content.isTextual()
            ? List.of(new ContentPart.Text(content.asText()))
            : content(content, path + ".content");
    return new Message(role, parts, null, null, null);
  }

  private static List<ContentPart> content(JsonNode node, String path) {
    if (!node.isArray()) {
      throw ApiError.wrongType(path, "a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode part = node.get(i);
      String p = path + "[" + i + "]";
      if (!part.isObject()) {
        throw ApiError.wrongType(p, "an object");
      }
      String type = JsonFields.string(part, "type", p + ".type", true);
      switch (type) {
        // output_text is an earlier answer's text, passed back as conversation state.
        case "input_text", "output_text" ->
            parts.add(new ContentPart.Text(JsonFields.string(part, "text", p + ".text", true)));
        case "refusal" ->
            parts.add(
                new ContentPart.Text(JsonFields.string(part, "refusal", p + ".refusal", true)));
        case "input_image" -> {
          if (part.hasNonNull("file_id") && !part.hasNonNull("image_url")) {
            throw ApiError.invalid(
                p + ".file_id",
                "Invalid '" + p + ".file_id': file ids are not supported; send 'image_url'.");
          }
          parts.add(
              new ContentPart.Image(
                  JsonFields.string(part, "image_url", p + ".image_url", true),
                  JsonFields.string(part, "detail", p + ".detail", false)));
        }
        default ->
            throw ApiError.invalid(
                p + ".type",
                "Invalid '"
                    + p
                    + ".type': '"
                    + type
                    + "'. Supported values are: 'input_text', 'input_image' and 'output_text'.");
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
            p + ".type",
            "Invalid '"
                + p
                + ".type': '"
                + type
                + "'. Only 'function' tools are supported by this gateway.");
      }
      tools.add(
          new ToolDefinition(
              RequestSchemas.toolName(
                  JsonFields.string(tool, "name", p + ".name", true), p + ".name", 64),
              JsonFields.string(tool, "description", p + ".description", false),
              RequestSchemas.schema(
                  JsonFields.object(tool, "parameters", p + ".parameters", false),
                  p + ".parameters")));
    }
    return tools;
  }

  /** Maps the Responses tool choice to the chat shape the normalized model uses. */
  private static JsonNode toolChoice(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      String choice = node.asText();
      if (!choice.equals("auto") && !choice.equals("none") && !choice.equals("required")) {
        throw ApiError.invalid(
            "tool_choice",
            "Invalid 'tool_choice': '"
                + choice
                + "'. Supported values are: 'auto', 'none', 'required' or a function.");
      }
      return node;
    }
    if (!node.isObject()) {
      throw ApiError.wrongType("tool_choice", "a string or an object");
    }
    String type = JsonFields.string(node, "type", "tool_choice.type", true);
    if (!type.equals("function")) {
      throw ApiError.invalid(
          "tool_choice.type", "Invalid 'tool_choice.type': only 'function' is supported.");
    }
    ObjectNode choice = JsonNodeFactory.instance.objectNode();
    choice.put("type", "function");
    choice
        .putObject("function")
        .put("name", JsonFields.string(node, "name", "tool_choice.name", true));
    return choice;
  }

  /** {@code text.format}: the Responses API's flat spelling of chat's {@code response_format}. */
  private static ResponseFormat format(JsonNode text) {
    if (text == null) {
      return null;
    }
    JsonNode node = JsonFields.object(text, "format", "text.format", false);
    if (node == null) {
      return null;
    }
    String type = JsonFields.string(node, "type", "text.format.type", true);
    return switch (type) {
      case "text" -> ResponseFormat.text();
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
      case "json_schema" ->
          new ResponseFormat(
              ResponseFormat.Type.JSON_SCHEMA,
              JsonFields.string(node, "name", "text.format.name", true),
              RequestSchemas.schema(
                  JsonFields.object(node, "schema", "text.format.schema", true),
                  "text.format.schema"),
              JsonFields.bool(node, "strict", "text.format.strict"));
      default ->
          throw ApiError.invalid(
              "text.format.type",
              "Invalid 'text.format.type': '"
                  + type
                  + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
    };
  }
}
