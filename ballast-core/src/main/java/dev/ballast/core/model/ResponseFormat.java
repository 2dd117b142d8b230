package dev.ballast.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The requested output format. With {@link Type#JSON_SCHEMA} the final output is validated against
 * {@code schema}, and output that does not match is a format violation.
 */
public record ResponseFormat(Type type, String name, JsonNode schema, boolean strict) {
  public enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA
  }

  public static ResponseFormat text() {
    return new ResponseFormat(Type.TEXT, null, null, false);
  }
}
