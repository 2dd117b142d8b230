package dev.ballast.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat request in the normalized model, independent of the front door it arrived through.
 *
 * @param model the public model name the client asked for (a model group)
 * @param toolChoice OpenAI-shaped tool choice ({@code "auto"}, {@code "none"}, {@code "required"}
 *     or an object), or null
 * @param maxTokens the output token limit, or null for the provider's default
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    List<ToolDefinition> tools,
    JsonNode toolChoice,
    ResponseFormat responseFormat,
    Double temperature,
    Double topP,
    Integer maxTokens,
    List<String> stop,
    boolean stream,
    String user) {

  public ChatRequest {
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public static ChatRequest of(String model, List<Message> messages) {
    return new ChatRequest(model, messages, null, null, null, null, null, null, null, false, null);
  }

  public ChatRequest withModel(String newModel) {
    return new ChatRequest(
        newModel,
        messages,
        tools,
        toolChoice,
        responseFormat,
        temperature,
        topP,
        maxTokens,
        stop,
        stream,
        user);
  }

  public ChatRequest withStream(boolean newStream) {
    return new ChatRequest(
        model,
        messages,
        tools,
        toolChoice,
        responseFormat,
        temperature,
        topP,
        maxTokens,
        stop,
        newStream,
        user);
  }
}
