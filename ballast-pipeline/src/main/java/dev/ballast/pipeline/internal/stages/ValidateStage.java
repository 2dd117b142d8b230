package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.ValidateSpec;
import dev.ballast.core.spi.StageHandler;
import java.util.List;

/**
 * {@code validate}: checks an earlier stage's output against a JSON Schema (draft 2020-12). A
 * mismatch fails the run for good: the same output would fail again.
 */
final class ValidateStage implements StageHandler {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final String of;
  private final Schema schema;

  ValidateStage(ValidateSpec spec) {
    this.of = spec.of();
    this.schema = REGISTRY.getSchema(spec.schema().toString());
  }

  @Override
  public JsonNode execute(StageContext context) {
    JsonNode output = context.outputs().get(of);
    if (output == null) {
      throw new StageException("validation_failed", "stage " + of + " has no output", false);
    }
    // A generate stage with a schema puts its parsed answer under "json"; validate that.
    JsonNode subject = output.has("json") && output.has("text") ? output.get("json") : output;
    List<Error> errors = schema.validate(subject);
    if (!errors.isEmpty()) {
      throw new StageException(
          "validation_failed",
          "output of stage " + of + " does not match the schema: " + errors.get(0).toString(),
          false);
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("valid", true);
    result.put("of", of);
    return result;
  }
}
