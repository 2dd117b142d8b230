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
import java.util.Locale;

/**
 * Encodes a normalized chat request as a Bedrock Converse body. System messages move to {@code
 * system}; tool results become user {@code toolResult} blocks; consecutive messages of one role are
 * merged, because Converse expects alternating turns. The model is in the URL, not the body.
 * Converse takes images as bytes only, so an image must come as a data URL.
 */
final class BedrockRequestEncoder {
  private BedrockRequestEncoder() {}

  static ObjectNode chat(ChatRequest request) {
    ObjectNode body = Nodes.object();
    ArrayNode system = Nodes.object().arrayNode();
    request.messages().stream()
        .filter(message -> message.role() == Role.SYSTEM)
        .forEach(message -> system.addObject().put("text", message.text()));
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    body.set("messages", messages(request));
    ObjectNode inference = Nodes.object();
    Nodes.putIfPresent(inference, "maxTokens", request.maxTokens());
    Nodes.putIfPresent(inference, "temperature", request.temperature());
    Nodes.putIfPresent(inference, "topP", request.topP());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = inference.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    if (!inference.isEmpty()) {
      body.set("inferenceConfig", inference);
    }
    if (!request.tools().isEmpty()) {
      body.set("toolConfig", toolConfig(request));
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
      ObjectNode result = blocks.addObject().putObject("toolResult");
      result.put("toolUseId", message.toolCallId());
      result.putArray("content").addObject().put("text", message.text());
      return blocks;
    }
    for (ContentPart part : message.content()) {
      switch (part) {
        case ContentPart.Text text -> {
          // Converse rejects blank text blocks.
          if (!text.text().isBlank()) {
            blocks.addObject().put("text", text.text());
          }
        }
        case ContentPart.Image image -> blocks.add(image(image.url()));
      }
    }
    for (ToolCall call : message.toolCalls()) {
      ObjectNode toolUse = blocks.addObject().putObject("toolUse");
      toolUse.put("toolUseId", call.id()).put("name", call.name());
      toolUse.set("input", AnthropicRequestEncoder.input(call));
    }
    return blocks;
  }

  private static ObjectNode image(String url) {
    DataUrl data = DataUrl.parse(url);
    if (data == null) {
      throw new ProviderException(
          ErrorClass.BAD_REQUEST, "bedrock accepts images as data: URLs only, not " + url);
    }
    String format = data.mediaType().substring(data.mediaType().indexOf('/') + 1);
    ObjectNode block = Nodes.object();
    ObjectNode image = block.putObject("image").put("format", format.toLowerCase(Locale.ROOT));
    image.putObject("source").put("bytes", data.base64());
    return block;
  }

  private static ObjectNode toolConfig(ChatRequest request) {
    ObjectNode config = Nodes.object();
    ArrayNode tools = config.putArray("tools");
    for (ToolDefinition tool : request.tools()) {
      ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", tool.name());
      if (tool.description() != null) {
        spec.put("description", tool.description());
      }
      JsonNode schema = tool.parameters();
      spec.putObject("inputSchema")
          .set("json", schema != null ? schema : Nodes.object().put("type", "object"));
    }
    ObjectNode choice = toolChoice(request.toolChoice());
    if (choice != null) {
      config.set("toolChoice", choice);
    }
    return config;
  }

  /**
   * OpenAI's tool_choice as Converse's: auto, required (any) or a named tool. Converse has no
   * "none"; leaving the choice out lets the model decide, the closest it offers.
   */
  private static ObjectNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    ObjectNode node = Nodes.object();
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> node.set("auto", Nodes.object());
        case "required" -> node.set("any", Nodes.object());
        default -> null;
      };
    }
    String name = Nodes.text(choice.path("function"), "name");
    return name == null ? null : node.set("tool", Nodes.object().put("name", name));
  }
}
