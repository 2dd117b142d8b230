package dev.ballast.pipeline.internal.stages;

import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.CodeSpec;
import dev.ballast.core.pipeline.EmbedSpec;
import dev.ballast.core.pipeline.GenerateSpec;
import dev.ballast.core.pipeline.HttpActionSpec;
import dev.ballast.core.pipeline.MemoryUpdateSpec;
import dev.ballast.core.pipeline.RetrieveSpec;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StageSpec;
import dev.ballast.core.pipeline.TransformSpec;
import dev.ballast.core.pipeline.ValidateSpec;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.pipeline.StateServices;
import dev.ballast.pipeline.spi.ModelCalls;
import dev.ballast.pipeline.spi.Retriever;
import java.net.http.HttpClient;
import java.time.Duration;

/** The handlers of the built-in stage types. */
public final class BuiltinStages {
  private final ModelCalls models;
  private final StateServices state;
  private final MemoryViews memoryViews;
  private final HttpClient http;

  public BuiltinStages(ModelCalls models, StateServices state) {
    this(
        models,
        state,
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build());
  }

  /**
   * Handlers whose {@code http_action} stages send through {@code http}: a replay passes a sender
   * that answers from the recording and lets nothing reach the network.
   */
  public BuiltinStages(ModelCalls models, StateServices state, HttpClient http) {
    this.models = models;
    this.state = state;
    this.memoryViews =
        state == null || state.memory() == null ? null : new MemoryViews(state.memory());
    this.http = http;
  }

  /**
   * The handler of a built-in stage.
   *
   * @throws IllegalArgumentException when the type is not built in, or needs model calls this
   *     engine was not given
   */
  public StageHandler handler(String pipeline, StageDefinition stage) {
    return switch (spec(pipeline, stage)) {
      case TransformSpec s -> new TransformStage(s);
      case ValidateSpec s -> new ValidateStage(s);
      case HttpActionSpec s -> new HttpActionStage(s, http);
      case GenerateSpec s -> new GenerateStage(s, requireModels(pipeline, stage));
      case EmbedSpec s -> new EmbedStage(s, requireModels(pipeline, stage));
      case RetrieveSpec s -> new RetrieveStage(s, require(pipeline, stage, retriever()));
      case AssembleContextSpec s ->
          new AssembleContextStage(
              s,
              require(pipeline, stage, state == null ? null : state.packer()),
              s.readsMemory() ? require(pipeline, stage, memoryViews) : null);
      case MemoryUpdateSpec s ->
          new MemoryUpdateStage(s, require(pipeline, stage, state == null ? null : state.memory()));
      case CodeSpec s -> throw noHandler(pipeline, stage);
    };
  }

  private static StageSpec spec(String pipeline, StageDefinition stage) {
    if (!StageSpec.TYPES.contains(stage.type())) {
      throw noHandler(pipeline, stage);
    }
    try {
      return stage.spec();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pipeline " + pipeline + " stage " + stage.name() + ": " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException noHandler(String pipeline, StageDefinition stage) {
    return new IllegalArgumentException(
        "pipeline "
            + pipeline
            + " stage "
            + stage.name()
            + ": no handler for stage type \""
            + stage.type()
            + "\"");
  }

  private Retriever retriever() {
    return state == null ? null : state.retriever();
  }

  private static <T> T require(String pipeline, StageDefinition stage, T service) {
    if (service == null) {
      throw new IllegalArgumentException(
          "pipeline "
              + pipeline
              + " stage "
              + stage.name()
              + " ("
              + stage.type()
              + ") needs versioned state (a document store, memory store, retriever or context"
              + " packer) that this engine was not given");
    }
    return service;
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
