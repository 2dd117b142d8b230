package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.pipeline.EmbedSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.pipeline.spi.ModelCalls;
import java.util.List;

/** {@code embed}: embeds its rendered {@code text} with its model group. */
final class EmbedStage implements StageHandler {
  private final ModelCalls models;
  private final String group;
  private final String text;

  EmbedStage(EmbedSpec spec, ModelCalls models) {
    this.models = models;
    this.group = spec.group();
    this.text = spec.text();
  }

  @Override
  public JsonNode execute(StageContext context) {
    String input = Template.renderText(text, context.templateScope());
    String callId = context.callId();
    EmbeddingResponse response =
        models.embed(
            new ModelCalls.Call(
                context.runId(),
                context.stage().name(),
                context.attempt(),
                context.tenant(),
                callId,
                context.deadline()),
            new EmbeddingRequest(group, List.of(input), null));
    if (response.vectors().isEmpty()) {
      throw new StageException("format_violation", "the embedding response has no vector", true);
    }
    float[] vector = response.vectors().get(0);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("model", response.model());
    out.put("dimensions", vector.length);
    ArrayNode values = out.putArray("vector");
    for (float v : vector) {
      values.add(v);
    }
    out.put("call_run_id", callId);
    return out;
  }
}
