package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and writing the canonical parameters of the stage specs. */
final class Params {
  private Params() {}

  static ObjectNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A text parameter, or null. */
  static String text(ObjectNode p, String key) {
    return p.hasNonNull(key) ? p.get(key).asText() : null;
  }

  static String required(ObjectNode p, String key) {
    String value = text(p, key);
    if (value == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    return value;
  }

  /** A JSON parameter (a schema, a template), a copy, or null. */
  static JsonNode json(ObjectNode p, String key) {
    return p.hasNonNull(key) ? p.get(key).deepCopy() : null;
  }

  static JsonNode copy(JsonNode node) {
    return node == null ? null : node.deepCopy();
  }

  static void put(ObjectNode p, String key, String value) {
    if (value != null) {
      p.put(key, value);
    }
  }

  static void put(ObjectNode p, String key, JsonNode value) {
    if (value != null) {
      p.set(key, value.deepCopy());
    }
  }
}
