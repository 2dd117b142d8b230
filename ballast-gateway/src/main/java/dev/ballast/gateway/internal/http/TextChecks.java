package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.gateway.internal.wire.ApiError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Strings a request may not carry: U+0000 and unpaired surrogates. JSON escapes let a client send
 * both, but neither survives the trip to storage and back — PostgreSQL refuses NUL in text, an
 * unpaired surrogate has no UTF-8 encoding — and the embedding tokenizer chokes on them. Refusing
 * them when the request is read, naming where they are, beats a 500 from deep inside.
 */
final class TextChecks {
  private TextChecks() {}

  /** Throws a 400 naming the first string (value or field name) with such a character. */
  static void requireStorableStrings(JsonNode body) {
    record At(JsonNode node, String path) {}
    Deque<At> pending = new ArrayDeque<>();
    pending.push(new At(body, ""));
    while (!pending.isEmpty()) {
      At at = pending.pop();
      JsonNode node = at.node();
      if (node.isTextual()) {
        check(node.asText(), at.path());
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          pending.push(new At(node.get(i), at.path() + "[" + i + "]"));
        }
      } else if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          String path = at.path().isEmpty() ? field.getKey() : at.path() + "." + field.getKey();
          check(field.getKey(), path);
          pending.push(new At(field.getValue(), path));
        }
      }
    }
  }

  private static void check(String text, String path) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String problem = null;
      if (c == 0) {
        problem = "contains the character U+0000, which cannot be stored";
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        problem = "contains an unpaired UTF-16 surrogate (\\u" + hex(c) + "), which is not text";
      } else if (Character.isLowSurrogate(c)) {
        problem = "contains an unpaired UTF-16 surrogate (\\u" + hex(c) + "), which is not text";
      }
      if (problem != null) {
        String param = path.isEmpty() ? null : path;
        throw ApiError.invalid(
            param,
            (param == null ? "The body" : "Invalid '" + param + "': it") + " " + problem + ".");
      }
    }
  }

  private static String hex(char c) {
    return String.format("%04x", (int) c);
  }
}
