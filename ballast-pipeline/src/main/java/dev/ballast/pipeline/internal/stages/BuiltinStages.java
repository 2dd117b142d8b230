package dev.ballast.pipeline.internal.stages;

import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.pipeline.spi.ModelCalls;
import java.net.http.HttpClient;
import java.time.Duration;

/** The handlers of the built-in stage types. */
public final class BuiltinStages {
  private final ModelCalls models;
  private final HttpClient http;

  public BuiltinStages(ModelCalls models) {
    this.models = models;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The handler of a built-in stage.
   *
   * @throws IllegalArgumentException when the type is not built in, or needs model calls this
   *     engine was not given
   */
  public StageHandler handler(String pipeline, StageDefinition stage) {
    return switch (stage.type()) {
      case "transform" -> new TransformStage(stage);
      case "validate" -> new ValidateStage(stage);
      case "http_action" -> new HttpActionStage(stage, http);
      case "generate" -> new GenerateStage(stage, requireModels(pipeline, stage));
      case "embed" -> new EmbedStage(stage, requireModels(pipeline, stage));
      default ->
          throw new IllegalArgumentException(
              "pipeline "
                  + pipeline
                  + " stage "
                  + stage.name()
                  + ": no handler for stage type \""
                  + stage.type()
                  + "\"");
    };
  }

  private ModelCalls requireModels(String pipeline, StageDefinition stage) {
    if (models == null) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline
              + " stage "
              + stage.name()
              + " calls a model group, but this engine has no model calls (start it with the"
              + " gateway)");
    }
    return models;
  }
}
