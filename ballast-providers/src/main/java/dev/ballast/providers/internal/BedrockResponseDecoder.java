package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes Bedrock Converse answers: {@code output.message.content}, {@code stopReason} and {@code
 * usage}. Converse names neither the answer nor the model; the adapter reports the model it asked
 * for.
 */
final class BedrockResponseDecoder {
  /**
   * The HTTP status each Bedrock exception arrives with, so an exception inside a stream is
   * classified exactly like the same exception as a response.
   */
  private static final Map<String, Integer> ERROR_STATUS =
      Map.ofEntries(
          Map.entry("validationexception", 400),
          Map.entry("accessdeniedexception", 403),
          Map.entry("resourcenotfoundexception", 404),
          Map.entry("modeltimeoutexception", 408),
          Map.entry("throttlingexception", 429),
          Map.entry("modelnotreadyexception", 429),
          Map.entry("internalserverexception", 500),
          Map.entry("modelstreamerrorexception", 500),
          Map.entry("serviceunavailableexception", 503));

  private BedrockResponseDecoder() {}

  static ChatResponse chat(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    JsonNode content = root == null ? null : root.path("output").path("message").path("content");
    if (content == null || !content.isArray()) {
      throw Answers.violation("converse response has no output.message.content array", body);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.has("text")) {
        text.append(block.path("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        JsonNode input = use.path("input");
        calls.add(
            new ToolCall(
                Nodes.text(use, "toolUseId"),
                Nodes.text(use, "name"),
                Nodes.write(input.isMissingNode() ? Nodes.object() : input)));
      }
      // Reasoning and other block types carry nothing the normalized model represents.
    }
    return new ChatResponse(
        null,
        null,
        null,
        Answers.assistant(text.toString(), calls),
        FinishReason.parse(stopReason(Nodes.text(root, "stopReason"))),
        usage(root.get("usage")),
        List.of(),
        body);
  }

  /** Converse's stop reasons in the normalized vocabulary (the Anthropic-like ones parse as is). */
  static String stopReason(String reason) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "guardrail_intervened", "content_filtered" -> "content_filter";
      default -> reason;
    };
  }

  /**
   * Cache reads and writes are counted apart from {@code inputTokens}; the normalized model counts
   * cached tokens as part of the input, so they are added back.
   */
  static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    int cacheRead = Nodes.integer(usage, "cacheReadInputTokens");
    int cacheWrite = Nodes.integer(usage, "cacheWriteInputTokens");
    return new Usage(
        Nodes.integer(usage, "inputTokens") + cacheRead + cacheWrite,
        Nodes.integer(usage, "outputTokens"),
        cacheRead,
        0,
        false);
  }

  /** The status of an exception type, in either case ({@code ThrottlingException} on HTTP). */
  static Integer errorStatus(String type) {
    return type == null ? null : ERROR_STATUS.get(type.toLowerCase(java.util.Locale.ROOT));
  }
}
