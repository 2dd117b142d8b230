package dev.ballast.pipeline.internal;

import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.pipeline.internal.stages.BuiltinStages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pipelines this node knows, each with a handler per stage, built once at start. */
public final class Registry {
  private final Map<String, Compiled> byName = new LinkedHashMap<>();

  /** A pipeline ready to execute. */
  public record Compiled(PipelineDefinition definition, List<StageHandler> handlers) {}

  public Registry(List<Pipeline> pipelines, BuiltinStages builtins) {
    for (Pipeline p : pipelines) {
      PipelineDefinition d = p.definition();
      if (byName.containsKey(d.name())) {
        throw new IllegalArgumentException("two pipelines are named " + d.name());
      }
      List<StageHandler> handlers = new ArrayList<>();
      for (StageDefinition stage : d.stages()) {
        if ("java".equals(stage.type())) {
          StageHandler h = p.handlers().get(stage.name());
          if (h == null) {
            throw new IllegalArgumentException(
                "pipeline " + d.name() + " stage " + stage.name() + " has no handler");
          }
          handlers.add(h);
        } else {
          handlers.add(builtins.handler(d.name(), stage));
        }
      }
      byName.put(d.name(), new Compiled(d, List.copyOf(handlers)));
    }
  }

  public Optional<Compiled> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  List<PipelineDefinition> definitions() {
    return byName.values().stream().map(Compiled::definition).toList();
  }
}
