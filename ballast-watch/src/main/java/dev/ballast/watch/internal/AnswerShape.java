package dev.ballast.watch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.Payload;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an answer looked like: empty, a refusal, cut at the length limit. Read from the answer the
 * journal holds when the tenant captures content; without content, an answer is empty when it had
 * no output tokens, and a refusal only when the provider said so (finish reason {@code
 * content_filter}, which is also what Anthropic's {@code refusal} stop reason normalizes to).
 */
record AnswerShape(boolean empty, boolean refusal, boolean length) {

  static AnswerShape of(RunCompleted c, List<Pattern> refusalPatterns) {
    boolean length = "length".equals(c.finishReason());
    boolean filtered = "content_filter".equals(c.finishReason());
    Payload response = c.response();
    JsonNode message = message(response);
    if (message == null) {
      boolean empty = c.usage() != null && c.usage().outputTokens() == 0;
      return new AnswerShape(empty, filtered, length);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : message.path("content")) {
      if (part.isTextual()) {
        text.append(part.asText());
      } else if (part.has("text")) {
        text.append(part.path("text").asText());
      }
    }
    boolean tools = message.path("tool_calls").size() > 0 || message.path("toolCalls").size() > 0;
    boolean empty = text.toString().isBlank() && !tools;
    boolean refused = filtered;
    for (Pattern p : refusalPatterns) {
      if (!refused && p.matcher(text).find()) {
        refused = true;
      }
    }
    return new AnswerShape(empty, refused, length);
  }

  private static JsonNode message(Payload response) {
    if (response == null || response.bytes() == null) {
      return null;
    }
    try {
      JsonNode message = Json.mapper().readTree(response.bytes()).path("message");
      return message.isObject() ? message : null;
    } catch (IOException e) {
      return null;
    }
  }
}
