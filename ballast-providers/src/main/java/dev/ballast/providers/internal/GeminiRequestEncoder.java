package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Encodes a normalized chat request as a Gemini {@code generateContent} body. System messages move
 * to {@code systemInstruction}; the assistant is the {@code model} role; tool results become user
 * {@code functionResponse} parts, which Gemini matches by function name, so the name is looked up
 * from the assistant's earlier call with the same id. Consecutive turns of one role are merged.
 */
final class GeminiRequestEncoder {
  private GeminiRequestEncoder() {}

  static ObjectNode chat(ChatRequest request) {
    ObjectNode body = Nodes.object();
    String system =
        request.messages().stream()
            .filter(message -> message.role() == Role.SYSTEM)
            .map(Message::text)
            .collect(Collectors.joining("\n\n"));
    if (!system.isEmpty()) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    }
    body.set("contents", contents(request));
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      request.tools().forEach(tool -> declarations.add(declaration(tool)));
    }
    ObjectNode toolConfig = toolConfig(request.toolChoice());
    if (toolConfig != null) {
      body.set("toolConfig", toolConfig);
    }
    ObjectNode config = generationConfig(request);
    if (!config.isEmpty()) {
      body.set("generationConfig", config);
    }
    return body;
  }

  private static ArrayNode contents(ChatRequest request) {
    ArrayNode contents = Nodes.object().arrayNode();
    Map<String, String> toolNames = new HashMap<>();
    ObjectNode previous = null;
    for (Message message : request.messages()) {
      if (message.role() == Role.SYSTEM) {
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "model" : "user";
      if (previous == null || !role.equals(previous.get("role").asText())) {
        previous = contents.addObject().put("role", role);
        previous.putArray("parts");
      }
      ((ArrayNode) previous.get("parts")).addAll(parts(message, toolNames));
    }
    return contents;
  }

  private static ArrayNode parts(Message message, Map<String, String> toolNames) {
    ArrayNode parts = Nodes.object().arrayNode();
    if (message.role() == Role.TOOL) {
      ObjectNode response = parts.addObject().putObject("functionResponse");
      String name = toolNames.getOrDefault(message.toolCallId(), message.toolCallId());
      response.put("name", name);
      if (message.toolCallId() != null && !message.toolCallId().equals(name)) {
        response.put("id", message.toolCallId());
      }
      response.set("response", toolResult(message.text()));
      return parts;
    }
    for (ContentPart part : message.content()) {
      switch (part) {
        case ContentPart.Text text -> {
          if (!text.text().isEmpty()) {
            parts.addObject().put("text", text.text());
          }
        }
        case ContentPart.Image image -> parts.add(image(image.url()));
      }
    }
    for (ToolCall call : message.toolCalls()) {
      toolNames.put(call.id(), call.name());
      ObjectNode functionCall = parts.addObject().putObject("functionCall");
      functionCall.put("name", call.name()).set("args", AnthropicRequestEncoder.input(call));
    }
    return parts;
  }

  /** Gemini wants an object; a result that is not one is wrapped as {@code {"content": ...}}. */
  private static JsonNode toolResult(String text) {
    JsonNode parsed = Nodes.parseOrNull(text);
    return parsed != null && parsed.isObject() ? parsed : Nodes.object().put("content", text);
  }

  private static ObjectNode image(String url) {
    ObjectNode part = Nodes.object();
    DataUrl data = DataUrl.parse(url);
    if (data != null) {
      part.putObject("inlineData").put("mimeType", data.mediaType()).put("data", data.base64());
    } else {
      part.putObject("fileData").put("fileUri", url);
    }
    return part;
  }

  private static ObjectNode declaration(ToolDefinition tool) {
    ObjectNode node = Nodes.object().put("name", tool.name());
    if (tool.description() != null) {
      node.put("description", tool.description());
    }
    if (tool.parameters() != null) {
      node.set("parameters", schema(tool.parameters()));
    }
    return node;
  }

  /** OpenAI's tool_choice as a function-calling mode: auto, none, required (ANY) or one name. */
  private static ObjectNode toolConfig(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    ObjectNode config = Nodes.object();
    ObjectNode calling = config.putObject("functionCallingConfig");
    if (choice.isTextual()) {
      String mode =
          switch (choice.asText()) {
            case "none" -> "NONE";
            case "required" -> "ANY";
            default -> "AUTO";
          };
      calling.put("mode", mode);
      return config;
    }
    String name = Nodes.text(choice.path("function"), "name");
    if (name == null) {
      return null;
    }
    calling.put("mode", "ANY").putArray("allowedFunctionNames").add(name);
    return config;
  }

  private static ObjectNode generationConfig(ChatRequest request) {
    ObjectNode config = Nodes.object();
    Nodes.putIfPresent(config, "maxOutputTokens", request.maxTokens());
    Nodes.putIfPresent(config, "temperature", request.temperature());
    Nodes.putIfPresent(config, "topP", request.topP());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      config.put("responseMimeType", "application/json");
      if (format.schema() != null) {
        config.set("responseSchema", schema(format.schema()));
      }
    }
    return config;
  }

  /**
   * Gemini's {@code Schema} is an OpenAPI subset: it rejects {@code additionalProperties} and the
   * {@code $}-keywords of JSON Schema, which OpenAI-style strict schemas carry. They are dropped;
   * the answer is still validated against the full schema by the normalization layer.
   */
  static JsonNode schema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("additionalProperties") || field.getKey().startsWith("$")) {
          fields.remove();
        } else {
          strip(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(GeminiRequestEncoder::strip);
    }
  }
}
