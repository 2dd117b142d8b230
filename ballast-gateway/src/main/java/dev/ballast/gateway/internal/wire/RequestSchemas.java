package dev.ballast.gateway.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.normalize.ClientSchemas;
import dev.ballast.core.normalize.InvalidSchemaException;
import java.util.regex.Pattern;

/**
 * The parts of a request that shape what a valid answer is — JSON Schemas and tool names — checked
 * when the request is read. A schema the validator cannot use, or a tool name no provider accepts,
 * is the client's mistake: it must be a 400 naming the parameter, never a 500 from the validator
 * nor a 502 blaming the provider for an answer nothing could have made valid.
 */
final class RequestSchemas {
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private RequestSchemas() {}

  /** Checks and compiles a client's schema (cached for the answer's validation); null passes. */
  static JsonNode schema(JsonNode schema, String param) {
    if (schema != null) {
      try {
        ClientSchemas.shared().compile(schema, param);
      } catch (InvalidSchemaException e) {
        throw ApiError.invalid(e.param(), e.getMessage());
      }
    }
    return schema;
  }

  /** A tool's name: 1 to {@code maxLength} letters, digits, underscores or dashes. */
  static String toolName(String name, String param, int maxLength) {
    if (name.isEmpty() || name.length() > maxLength || !TOOL_NAME.matcher(name).matches()) {
      throw ApiError.invalid(
          param,
          "Invalid '"
              + param
              + "': a tool name must be 1 to "
              + maxLength
              + " letters, digits, underscores or dashes.");
    }
    return name;
  }
}
