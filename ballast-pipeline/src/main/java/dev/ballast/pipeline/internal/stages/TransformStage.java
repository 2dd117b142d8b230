package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.pipeline.TransformSpec;
import dev.ballast.core.spi.StageHandler;

/** {@code transform}: its output is its {@code output} template rendered against the run. */
final class TransformStage implements StageHandler {
  private final JsonNode output;

  TransformStage(TransformSpec spec) {
    this.output = spec.output();
  }

  @Override
  public JsonNode execute(StageContext context) {
    return Template.render(output, context.templateScope());
  }
}
