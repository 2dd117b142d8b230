package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import java.util.List;

/** Encodes a normalized chat request as an OpenAI Chat Completions body. */
final class OpenAiRequestEncoder {
  private OpenAiRequestEncoder() {}

  static ObjectNode chat(ChatRequest request, String model, boolean stream) {
    ObjectNode body = Nodes.object().put("model", model);
    ArrayNode messages = body.putArray("messages");
    request.messages().forEach(message -> messages.add(message(message)));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      request.tools().forEach(tool -> tools.add(tool(tool)));
    }
    if (request.toolChoice() != null) {
      body.set("tool_choice", request.toolChoice());
    }
    if (request.responseFormat() != null) {
      body.set("response_format", responseFormat(request.responseFormat()));
    }
    Nodes.putIfPresent(body, "temperature", request.temperature());
    Nodes.putIfPresent(body, "top_p", request.topP());
    // max_tokens rather than max_completion_tokens: every OpenAI-compatible server accepts it.
    Nodes.putIfPresent(body, "max_tokens", request.maxTokens());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.user() != null) {
      body.put("user", request.user());
    }
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  private static ObjectNode message(Message message) {
    ObjectNode node = Nodes.object().put("role", message.role().wireName());
    // Tool messages have no name field in Chat Completions; strict servers reject one.
    if (message.name() != null && message.role() != Role.TOOL) {
      node.put("name", message.name());
    }
    if (!message.content().isEmpty() || message.toolCalls().isEmpty()) {
      content(node, message.content());
    }
    if (!message.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      message.toolCalls().forEach(call -> calls.add(toolCall(call)));
    }
    if (message.toolCallId() != null) {
      node.put("tool_call_id", message.toolCallId());
    }
    return node;
  }

  /** Plain text goes as a string, which every compatible server understands; images need parts. */
  private static void content(ObjectNode node, List<ContentPart> parts) {
    if (parts.stream().allMatch(part -> part instanceof ContentPart.Text)) {
      StringBuilder text = new StringBuilder();
      parts.forEach(part -> text.append(((ContentPart.Text) part).text()));
      node.put("content", text.toString());
      return;
    }
    ArrayNode array = node.putArray("content");
    for (ContentPart part : parts) {
      switch (part) {
        case ContentPart.Text text ->
            array.addObject().put("type", "text").put("text", text.text());
        case ContentPart.Image image -> {
          ObjectNode url = array.addObject().put("type", "image_url").putObject("image_url");
          url.put("url", image.url());
          if (image.detail() != null) {
            url.put("detail", image.detail());
          }
        }
      }
    }
  }

  private static ObjectNode toolCall(ToolCall call) {
    ObjectNode node = Nodes.object().put("id", call.id()).put("type", "function");
    node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
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

  private static ObjectNode responseFormat(ResponseFormat format) {
    return switch (format.type()) {
      case TEXT -> Nodes.object().put("type", "text");
      case JSON_OBJECT -> Nodes.object().put("type", "json_object");
      case JSON_SCHEMA -> {
        ObjectNode node = Nodes.object().put("type", "json_schema");
        ObjectNode schema = node.putObject("json_schema");
        schema.put("name", format.name() == null ? "response" : format.name());
        if (format.schema() != null) {
          schema.set("schema", format.schema());
        }
        schema.put("strict", format.strict());
        yield node;
      }
    };
  }
}
