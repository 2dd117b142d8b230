package dev.ballast.pipeline.internal.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StagePolicy;
import org.junit.jupiter.api.Test;

/** A built-in stage gets its handler from its typed spec; params that do not decode are refused. */
class BuiltinStagesTest {
  private final BuiltinStages builtins = new BuiltinStages(null, null);

  @Test
  void dispatchesOnTheSpec() {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.putObject("output").put("x", "{{input.x}}");
    assertThat(builtins.handler("p", stage("shape", "transform", params)))
        .isInstanceOf(TransformStage.class);
    ObjectNode hook = JsonNodeFactory.instance.objectNode().put("url", "http://127.0.0.1:9/h");
    assertThat(builtins.handler("p", stage("hook", "http_action", hook)))
        .isInstanceOf(HttpActionStage.class);
  }

  @Test
  void refusesParamsThatDoNotDecodeNamingThePipelineAndStage() {
    assertThatThrownBy(
            () ->
                builtins.handler(
                    "p", stage("shape", "transform", JsonNodeFactory.instance.objectNode())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pipeline p stage shape: output is required");
    ObjectNode hook =
        JsonNodeFactory.instance.objectNode().put("url", "http://h/x").put("method", "GET");
    assertThatThrownBy(() -> builtins.handler("p", stage("hook", "http_action", hook)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pipeline p stage hook: expected POST, PUT, PATCH or DELETE, but was \"GET\"");
    assertThatThrownBy(
            () ->
                builtins.handler(
                    "p", stage("x", "teleport", JsonNodeFactory.instance.objectNode())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pipeline p stage x: no handler for stage type \"teleport\"");
  }

  private static StageDefinition stage(String name, String type, ObjectNode params) {
    return new StageDefinition(name, type, StagePolicy.defaults(), params);
  }
}
