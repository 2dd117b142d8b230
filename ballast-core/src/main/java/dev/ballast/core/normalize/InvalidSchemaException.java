package dev.ballast.core.normalize;

import dev.ballast.core.BallastException;

/**
 * A JSON Schema supplied by a client (a {@code response_format} schema, a tool's parameters) that
 * Ballast will not use: it is not a valid schema, refers outside itself, loops, or exceeds the
 * bounds in {@link ClientSchemas}. It is the client's mistake, never the provider's: the gateway
 * answers 400 naming {@link #param()}.
 */
public final class InvalidSchemaException extends BallastException {
  private final String param;

  public InvalidSchemaException(String param, String problem) {
    super("Invalid '" + param + "': " + problem);
    this.param = param;
  }

  /** Where the schema sits in the request, e.g. {@code response_format.json_schema.schema}. */
  public String param() {
    return param;
  }
}
