package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes OpenAI Chat Completions answers. Known drift is repaired and recorded (a message {@code
 * text} field instead of {@code content}, tool arguments sent as an object, {@code
 * input_tokens}/{@code output_tokens} usage names); anything else that does not fit is a format
 * violation.
 */
final class OpenAiResponseDecoder {
  private OpenAiResponseDecoder() {}

  static ChatResponse chat(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    if (root == null || !root.isObject()) {
      throw Answers.violation("chat response is not a JSON object", body);
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty() || !choices.get(0).path("message").isObject()) {
      throw Answers.violation("chat response has no choices[0].message", body);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    List<Repair> repairs = new ArrayList<>();
    String content = content(message, repairs);
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      calls.add(
          new ToolCall(
              Nodes.text(call, "id"),
              Nodes.text(function, "name"),
              arguments(function.get("arguments"), repairs)));
    }
    return new ChatResponse(
        Nodes.text(root, "id"),
        Nodes.text(root, "model"),
        Nodes.text(root, "system_fingerprint"),
        Answers.assistant(content, calls),
        finishReason(Nodes.text(choice, "finish_reason"), refused(message) && calls.isEmpty()),
        usage(root.get("usage"), repairs),
        repairs,
        body);
  }

  /**
   * Whether the model declined to answer: OpenAI states it in {@code message.refusal} (or a
   * stream's {@code delta.refusal}), with {@code content} null and finish reason {@code stop}.
   */
  static boolean refused(JsonNode message) {
    JsonNode refusal = message.get("refusal");
    return refusal != null && refusal.isTextual() && !refusal.asText().isBlank();
  }

  /**
   * The finish reason, where a refusal counts as {@code content_filter}: the one normalized finish
   * reason for a model that declined, as Anthropic's {@code refusal} stop reason is.
   */
  static FinishReason finishReason(String wire, boolean refused) {
    FinishReason reason = FinishReason.parse(wire);
    return refused && (reason == null || reason == FinishReason.STOP)
        ? FinishReason.CONTENT_FILTER
        : reason;
  }

  /** The message text; {@code content} may be a string, null, or an array of text parts. */
  static String content(JsonNode message, List<Repair> repairs) {
    JsonNode content = message.get("content");
    if (content == null && message.path("text").isTextual()) {
      repairs.add(new Repair(Repair.Kind.RENAMED_FIELD, "message.text instead of message.content"));
      return message.get("text").asText();
    }
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      content.forEach(part -> text.append(part.path("text").asText("")));
      return text.toString();
    }
    return content.asText();
  }

  /** Arguments are a JSON string on the wire; an object is serialized and recorded as drift. */
  static String arguments(JsonNode arguments, List<Repair> repairs) {
    if (arguments == null || arguments.isNull()) {
      return null;
    }
    if (arguments.isContainerNode()) {
      repairs.add(new Repair(Repair.Kind.TOOL_ARGUMENTS_OBJECT, "function.arguments"));
      return Nodes.write(arguments);
    }
    return arguments.asText();
  }

  static Usage usage(JsonNode usage, List<Repair> repairs) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    String input = "prompt_tokens";
    String output = "completion_tokens";
    if (!usage.has(input) && usage.has("input_tokens")) {
      repairs.add(new Repair(Repair.Kind.RENAMED_FIELD, "usage.input_tokens/output_tokens"));
      input = "input_tokens";
      output = "output_tokens";
    }
    return new Usage(
        Nodes.integer(usage, input),
        Nodes.integer(usage, output),
        Nodes.integer(usage.path("prompt_tokens_details"), "cached_tokens"),
        Nodes.integer(usage.path("completion_tokens_details"), "reasoning_tokens"),
        false);
  }
}
