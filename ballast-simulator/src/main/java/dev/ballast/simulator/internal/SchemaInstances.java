package dev.ballast.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a small JSON instance that satisfies a JSON Schema: required properties only, strings
 * {@code "x"} (or the first enum/const value), numbers 1, booleans true, arrays with their minimum
 * number of items. Local {@code $ref}s ({@code #/$defs/..}, {@code #/definitions/..}) are followed.
 */
final class SchemaInstances {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 16;

  private SchemaInstances() {}

  static JsonNode instanceOf(JsonNode schema) {
    return build(schema, schema, 0);
  }

  private static JsonNode build(JsonNode schema, JsonNode root, int depth) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
      return NODES.objectNode();
    }
    if (schema.has("$ref")) {
      return build(resolve(root, schema.get("$ref").asText()), root, depth + 1);
    } else if (schema.has("const")) {
      return schema.get("const");
    } else if (schema.has("enum") && schema.get("enum").size() > 0) {
      return schema.get("enum").get(0);
    }
    for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
      if (schema.has(combinator) && schema.get(combinator).size() > 0) {
        return build(schema.get(combinator).get(0), root, depth + 1);
      }
    }
    return switch (typeOf(schema)) {
      case "string" -> NODES.textNode("x");
      case "integer", "number" -> NODES.numberNode(1);
      case "boolean" -> NODES.booleanNode(true);
      case "null" -> NODES.nullNode();
      case "array" -> array(schema, root, depth);
      default -> object(schema, root, depth);
    };
  }

  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return schema.has("items") ? "array" : "object";
    } else if (type.isArray()) {
      // A nullable type such as ["string", "null"]: the non-null alternative is more useful.
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    return type.asText();
  }

  private static ObjectNode object(JsonNode schema, JsonNode root, int depth) {
    ObjectNode out = NODES.objectNode();
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      out.set(name.asText(), build(properties.get(name.asText()), root, depth + 1));
    }
    return out;
  }

  private static ArrayNode array(JsonNode schema, JsonNode root, int depth) {
    ArrayNode out = NODES.arrayNode();
    int count = schema.path("minItems").asInt(0);
    for (int i = 0; i < count; i++) {
      out.add(build(schema.get("items"), root, depth + 1));
    }
    return out;
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    return root.at(ref.substring(1));
  }
}
