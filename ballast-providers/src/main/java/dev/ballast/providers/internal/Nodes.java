package dev.ballast.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import java.io.UncheckedIOException;

/** Small null-tolerant accessors for provider JSON, where any field may be absent or null. */
final class Nodes {
  private Nodes() {}

  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }

  static int integer(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isNumber() ? 0 : value.asInt();
  }

  /** Sets a numeric field only when the request has a value, so provider defaults apply. */
  static void putIfPresent(ObjectNode node, String field, Number value) {
    if (value instanceof Integer i) {
      node.put(field, i);
    } else if (value != null) {
      node.put(field, value.doubleValue());
    }
  }

  static ObjectNode object() {
    return Json.mapper().createObjectNode();
  }

  static String write(JsonNode node) {
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parsed JSON, or null when {@code text} is not JSON. */
  static JsonNode parseOrNull(String text) {
    try {
      return text == null ? null : Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
