package dev.ballast.cli;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.RunState;
import java.util.Optional;

/**
 * The pipelines of the loaded configuration, used to name a run's stages. A run whose version
 * differs from the configuration's (the definition changed since it was submitted) gets no names
 * from here: the current stages may not be the ones it runs.
 */
record Definitions(BallastConfig config) {
  Optional<PipelineDefinition> of(RunState run) {
    return config.pipeline(run.pipeline()).filter(d -> d.version().equals(run.pipelineVersion()));
  }
}
