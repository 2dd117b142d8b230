package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.stream.Collectors;

/**
 * Encodes a normalized chat request as an Anthropic Messages body. System messages move to the
 * top-level {@code system}; tool results become user {@code tool_result} blocks; consecutive
 * messages of one role are merged, because Messages expects alternating turns.
 */
final class AnthropicRequestEncoder {
  /** Messages requires max_tokens; this is what a request without a limit gets. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private AnthropicRequestEncoder() {}

  static ObjectNode chat(ChatRequest request, String model, boolean stream) {
    ObjectNode body = Nodes.object().put("model", model);
    body.put("max_tokens", request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens());
    String system =
        request.messages().stream()
            .filter(message -> message.role() == Role.SYSTEM)
            .map(Message::text)
            .collect(Collectors.joining("\n\n"));
    if (!system.isEmpty()) {
      body.put("system", system);
    }
    body.set("messages", messages(request));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      request.tools().forEach(tool -> tools.add(tool(tool)));
    }
    JsonNode toolChoice = toolChoice(request.toolChoice());
    if (toolChoice != null) {
      body.set("tool_choice", toolChoice);
    }
    Nodes.putIfPresent(body, "temperature", request.temperature());
    Nodes.putIfPresent(body, "top_p", request.topP());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.user() != null) {
      body.putObject("metadata").put("user_id", request.user());
    }
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static ArrayNode messages(ChatRequest request) {
    ArrayNode messages = Nodes.object().arrayNode();
    ObjectNode previous = null;
    for (Message message : request.messages()) {
      if (message.role() == Role.SYSTEM) {
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      if (previous == null || !role.equals(previous.get("role").asText())) {
        previous = messages.addObject().put("role", role);
        previous.putArray("content");
      }
      ((ArrayNode) previous.get("content")).addAll(blocks(message));
    }
    return messages;
  }

  private static ArrayNode blocks(Message message) {
    ArrayNode blocks = Nodes.object().arrayNode();
    if (message.role() == Role.TOOL) {
      blocks
          .addObject()
          .put("type", "tool_result")
          .put("tool_use_id", message.toolCallId())
          .put("content", message.text());
      return blocks;
    }
    for (ContentPart part : message.content()) {
      switch (part) {
        case ContentPart.Text text -> {
          // Messages rejects empty text blocks.
          if (!text.text().isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text.text());
          }
        }
        case ContentPart.Image image -> blocks.add(image(image.url()));
      }
    }
    for (ToolCall call : message.toolCalls()) {
      ObjectNode block = blocks.addObject().put("type", "tool_use");
      block.put("id", call.id()).put("name", call.name()).set("input", input(call));
    }
    return blocks;
  }

  /** Data URLs travel as base64 sources, anything else as a URL source. */
  static ObjectNode image(String url) {
    ObjectNode block = Nodes.object().put("type", "image");
    ObjectNode source = block.putObject("source");
    DataUrl data = DataUrl.parse(url);
    if (data != null) {
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    } else {
      source.put("type", "url").put("url", url);
    }
    return block;
  }

  /** The call's arguments as a JSON object; anything else cannot be sent as a tool input. */
  static JsonNode input(ToolCall call) {
    JsonNode input =
        call.arguments() == null || call.arguments().isBlank()
            ? Nodes.object()
            : Nodes.parseOrNull(call.arguments());
    if (input == null || !input.isObject()) {
      throw new ProviderException(
          ErrorClass.BAD_REQUEST,
          "tool call " + call.id() + " has arguments that are not a JSON object");
    }
    return input;
  }

  private static ObjectNode tool(ToolDefinition tool) {
    ObjectNode node = Nodes.object().put("name", tool.name());
    if (tool.description() != null) {
      node.put("description", tool.description());
    }
    JsonNode schema = tool.parameters();
    node.set("input_schema", schema != null ? schema : Nodes.object().put("type", "object"));
    return node;
  }

  /** Maps OpenAI's tool_choice: auto, none, required (any) or a named function (tool). */
  private static JsonNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> Nodes.object().put("type", "auto");
        case "none" -> Nodes.object().put("type", "none");
        case "required" -> Nodes.object().put("type", "any");
        default -> null;
      };
    }
    String name = Nodes.text(choice.path("function"), "name");
    return name == null ? null : Nodes.object().put("type", "tool").put("name", name);
  }
}
