package dev.ballast.watch.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 *
 * <p>The answer is scanned with a streaming parser that keeps only the message's text and whether
 * it called tools: building a tree of every answer again, on the thread that feeds all of Watch,
 * was 4 % of a loaded node's CPU.
 */
record AnswerShape(boolean empty, boolean refusal, boolean length) {

  static AnswerShape of(RunCompleted c, List<Pattern> refusalPatterns) {
    boolean length = "length".equals(c.finishReason());
    boolean filtered = "content_filter".equals(c.finishReason());
    Scanned message = scan(c.response());
    if (message == null) {
      boolean empty = c.usage() != null && c.usage().outputTokens() == 0;
      return new AnswerShape(empty, filtered, length);
    }
    boolean empty = message.text().isBlank() && !message.tools();
    boolean refused = filtered;
    for (Pattern p : refusalPatterns) {
      if (!refused && p.matcher(message.text()).find()) {
        refused = true;
      }
    }
    return new AnswerShape(empty, refused, length);
  }

  /** The answer's text and whether it called tools; null when there is no readable message. */
  private record Scanned(String text, boolean tools) {}

  private static Scanned scan(Payload response) {
    if (response == null || response.bytes() == null) {
      return null;
    }
    try (JsonParser p = Json.mapper().getFactory().createParser(response.bytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("message".equals(field) && value == JsonToken.START_OBJECT) {
          return message(p);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads a message object the parser stands at the start of. */
  private static Scanned message(JsonParser p) throws IOException {
    StringBuilder text = new StringBuilder();
    boolean tools = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("content".equals(field)) {
        content(p, value, text);
      } else if (("tool_calls".equals(field) || "toolCalls".equals(field))
          && value == JsonToken.START_ARRAY) {
        tools |= p.nextToken() != JsonToken.END_ARRAY;
        if (p.currentToken() != JsonToken.END_ARRAY) {
          p.skipChildren();
          skipRestOfArray(p);
        }
      } else {
        p.skipChildren();
      }
    }
    return new Scanned(text.toString(), tools);
  }

  /** Content as a string, or as parts that are strings or objects with a {@code text}. */
  private static void content(JsonParser p, JsonToken value, StringBuilder text)
      throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      text.append(p.getText());
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    for (JsonToken part = p.nextToken();
        part != null && part != JsonToken.END_ARRAY;
        part = p.nextToken()) {
      if (part == JsonToken.VALUE_STRING) {
        text.append(p.getText());
      } else if (part == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          boolean isText = "text".equals(p.currentName());
          if (p.nextToken() == JsonToken.VALUE_STRING && isText) {
            text.append(p.getText());
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private static void skipRestOfArray(JsonParser p) throws IOException {
    for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
      p.skipChildren();
    }
  }
}
