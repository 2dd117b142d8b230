package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import java.util.ArrayList;
import java.util.List;

/** Small JSON helpers shared by the wire formats. */
final class Wires {
  private Wires() {}

  static ObjectNode object() {
    return Json.mapper().createObjectNode();
  }

  static ArrayNode array() {
    return Json.mapper().createArrayNode();
  }

  static String json(JsonNode node) {
    return node.toString();
  }

  static String sse(JsonNode data) {
    return "data: " + data + "\n\n";
  }

  static String sse(String event, JsonNode data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
  }

  /** A string or an array of strings, as embedding inputs are written. */
  static List<String> texts(JsonNode input) {
    if (input == null || input.isNull()) {
      throw new IllegalArgumentException("'input' is required");
    }
    List<String> texts = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(n -> texts.add(n.asText()));
    } else {
      texts.add(input.asText());
    }
    return texts;
  }

  static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is required and must be a string");
    }
    return value.asText();
  }

  static ArrayNode vector(float[] v) {
    ArrayNode out = array();
    for (float f : v) {
      out.add(f);
    }
    return out;
  }
}
