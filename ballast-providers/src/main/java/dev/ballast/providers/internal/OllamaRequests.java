package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;

/**
 * Encodes a normalized chat request for Ollama's {@code /api/chat}. Ollama takes images as bare
 * base64 and tool arguments as objects, and puts sampling parameters under {@code options}.
 */
final class OllamaRequests {
  private OllamaRequests() {}

  static ObjectNode chat(ChatRequest request, String model, boolean stream) {
    ObjectNode body = Nodes.object().put("model", model);
    ArrayNode messages = body.putArray("messages");
    request.messages().forEach(message -> messages.add(message(message)));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      request.tools().forEach(tool -> tools.add(tool(tool)));
    }
    JsonNode format = format(request.responseFormat());
    if (format != null) {
      body.set("format", format);
    }
    ObjectNode options = options(request);
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    // Ollama streams unless told otherwise.
    body.put("stream", stream);
    return body;
  }

  private static ObjectNode message(Message message) {
    ObjectNode node = Nodes.object().put("role", message.role().wireName());
    node.put("content", message.text());
    ArrayNode images = null;
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Image image) {
        images = images == null ? node.putArray("images") : images;
        images.add(base64(image.url()));
      }
    }
    if (!message.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      message.toolCalls().forEach(call -> calls.add(toolCall(call)));
    }
    if (message.name() != null) {
      node.put("tool_name", message.name());
    }
    return node;
  }

  private static String base64(String url) {
    DataUrl data = DataUrl.parse(url);
    if (data == null) {
      throw new ProviderException(
          ErrorClass.BAD_REQUEST, "Ollama accepts only inline (data: URL) images, not " + url);
    }
    return data.base64();
  }

  private static ObjectNode toolCall(ToolCall call) {
    JsonNode arguments = Nodes.parseOrNull(call.arguments());
    ObjectNode node = Nodes.object();
    ObjectNode function = node.putObject("function").put("name", call.name());
    function.set(
        "arguments", arguments != null && arguments.isObject() ? arguments : Nodes.object());
    return node;
  }

  private static ObjectNode tool(ToolDefinition tool) {
    ObjectNode node = Nodes.object().put("type", "function");
    ObjectNode function = node.putObject("function").put("name", tool.name());
    if (tool.description() != null) {
      function.put("description", tool.description());
    }
    if (tool.parameters() != null) {
      function.set("parameters", tool.parameters());
    }
    return node;
  }

  /** {@code format} is "json" for any JSON, or the schema itself for structured output. */
  private static JsonNode format(ResponseFormat format) {
    if (format == null) {
      return null;
    }
    return switch (format.type()) {
      case TEXT -> null;
      case JSON_OBJECT -> Nodes.object().textNode("json");
      case JSON_SCHEMA ->
          format.schema() != null ? format.schema() : Nodes.object().textNode("json");
    };
  }

  private static ObjectNode options(ChatRequest request) {
    ObjectNode options = Nodes.object();
    Nodes.putIfPresent(options, "temperature", request.temperature());
    Nodes.putIfPresent(options, "top_p", request.topP());
    Nodes.putIfPresent(options, "num_predict", request.maxTokens());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = options.putArray("stop");
      request.stop().forEach(stop::add);
    }
    return options;
  }
}
