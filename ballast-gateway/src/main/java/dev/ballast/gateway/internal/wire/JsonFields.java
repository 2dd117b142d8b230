package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed access to request JSON that turns every type mismatch into a 400 naming the field. */
public final class JsonFields {
  private JsonFields() {}

  public static String string(JsonNode parent, String field, String path, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiError.missing(path);
      }
      return null;
    }
    if (!node.isTextual()) {
      throw ApiError.wrongType(path, "a string");
    }
    return node.asText();
  }

  static Double number(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw ApiError.wrongType(path, "a number");
    }
    return node.asDouble();
  }

  public static Integer integer(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw ApiError.wrongType(path, "an integer");
    }
    if (node.asInt() < 1) {
      throw ApiError.invalid(
          path, "Invalid '" + path + "': must be at least 1, but was " + node.asInt() + ".");
    }
    return node.asInt();
  }

  static boolean bool(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw ApiError.wrongType(path, "a boolean");
    }
    return node.asBoolean();
  }

  static JsonNode array(JsonNode parent, String field, String path, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiError.missing(path);
      }
      return null;
    }
    if (!node.isArray()) {
      throw ApiError.wrongType(path, "an array");
    }
    return node;
  }

  static JsonNode object(JsonNode parent, String field, String path, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiError.missing(path);
      }
      return null;
    }
    if (!node.isObject()) {
      throw ApiError.wrongType(path, "an object");
    }
    return node;
  }

  /** A string or an array of strings ({@code stop}, {@code input}). */
  static List<String> stringOrList(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    List<String> result = new ArrayList<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (node.isTextual()) {
      result.add(node.asText());
      return result;
    }
    if (!node.isArray()) {
      throw ApiError.wrongType(path, "a string or an array of strings");
    }
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw ApiError.wrongType(path + "[" + i + "]", "a string");
      }
      result.add(node.get(i).asText());
    }
    return result;
  }
}
