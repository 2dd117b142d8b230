package dev.ballast.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.config.PromptConfig;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** Applies a what-if's overrides to a pipeline and says which stages' model calls go live. */
final class WhatIfPlan {
  private WhatIfPlan() {}

  static Pipeline apply(Pipeline pipeline, Overrides o, Map<String, PromptConfig> prompts) {
    PipelineDefinition d = pipeline.definition();
    int from = from(d, o);
    if (o.isEmpty()) {
      return pipeline;
    }
    for (String stage : o.prompts().keySet()) {
      int i = d.indexOf(stage);
      if (i < 0 || !"generate".equals(d.stage(i).type())) {
        throw Replayer.bad(
            "--prompt-version names " + stage + ", which is not a generate stage of " + d.name());
      }
    }
    List<StageDefinition> stages = new ArrayList<>();
    for (int i = 0; i < d.stages().size(); i++) {
      StageDefinition s = d.stage(i);
      ObjectNode params = s.params().deepCopy();
      if (o.group() != null && "generate".equals(s.type()) && i >= from) {
        params.put("group", o.group());
      }
      String promptName = o.prompts().get(s.name());
      PromptConfig prompt = promptName == null ? null : prompts.get(promptName);
      if (prompt != null) {
        params.put("prompt_version", prompt.version());
        params.put("user_template", prompt.user());
        if (prompt.system() == null) {
          params.remove("system_template");
        } else {
          params.put("system_template", prompt.system());
        }
      }
      stages.add(new StageDefinition(s.name(), s.type(), s.policy(), params));
    }
    PipelineDefinition changed =
        new PipelineDefinition(
            d.name(), d.description(), d.maxConcurrent(), d.priority(), stages, d.output());
    return new Pipeline(changed, pipeline.handlers());
  }

  /**
   * Stages whose model calls go live: prompt-overridden ones, and generate stages from --from-stage
   * (all, with only --group).
   */
  static IntPredicate live(PipelineDefinition d, Overrides o) {
    int from = from(d, o);
    boolean all = o.group() != null || o.fromStage() != null;
    return i -> i >= 0 && (o.prompts().containsKey(d.stage(i).name()) || (all && i >= from));
  }

  private static int from(PipelineDefinition d, Overrides o) {
    if (o.fromStage() == null) {
      return 0;
    }
    int i = d.indexOf(o.fromStage());
    if (i < 0) {
      throw Replayer.bad(
          "--from-stage " + o.fromStage() + " is not a stage of pipeline " + d.name());
    }
    return i;
  }
}
