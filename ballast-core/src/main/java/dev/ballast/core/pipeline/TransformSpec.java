package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** {@code transform}: its output is its {@code output} template rendered against the run. */
public record TransformSpec(JsonNode output) implements StageSpec {
  public static final String TYPE = "transform";

  public TransformSpec {
    Objects.requireNonNull(output, "output is required");
    output = output.deepCopy();
  }

  static TransformSpec fromParams(ObjectNode p) {
    JsonNode output = Params.json(p, "output");
    if (output == null) {
      throw new IllegalArgumentException("output is required");
    }
    return new TransformSpec(output);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.set("output", output.deepCopy());
    return p;
  }
}
