package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code validate}: checks an earlier stage's output against a JSON Schema.
 *
 * @param of the earlier stage
 * @param schema a JSON Schema (draft 2020-12)
 */
public record ValidateSpec(String of, JsonNode schema) implements StageSpec {
  public static final String TYPE = "validate";

  public ValidateSpec {
    Objects.requireNonNull(of, "of is required");
    Objects.requireNonNull(schema, "schema is required");
    schema = schema.deepCopy();
  }

  static ValidateSpec fromParams(ObjectNode p) {
    JsonNode schema = Params.json(p, "schema");
    if (schema == null) {
      throw new IllegalArgumentException("schema is required");
    }
    return new ValidateSpec(Params.required(p, "of"), schema);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("of", of);
    p.set("schema", schema.deepCopy());
    return p;
  }
}
