package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.spi.StageHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline defined in code: its definition plus a handler for each stage of type {@code java}.
 * Stages of built-in types ({@code generate}, {@code http_action}, ...) get their handlers from the
 * engine.
 *
 * <pre>{@code
 * Pipeline p = Pipeline.named("enrich")
 *     .stage("fetch", ctx -> fetch(ctx.input()))
 *         .timeout(Duration.ofSeconds(5)).dependency("crm")
 *     .stage("store", ctx -> store(ctx, ctx.effect("row")))
 *         .effectful().version("2")
 *     .build();
 * }</pre>
 *
 * <p>The version of a code-defined stage cannot see the code; it covers the stage's name, policy,
 * handler class and the {@code version(...)} string, so bump that string when the handler's
 * behaviour changes and runs should record it.
 */
public record Pipeline(PipelineDefinition definition, Map<String, StageHandler> handlers) {

  public Pipeline {
    Objects.requireNonNull(definition, "definition");
    handlers = Map.copyOf(handlers);
  }

  /** A pipeline with built-in stage types only. */
  public static Pipeline of(PipelineDefinition definition) {
    return new Pipeline(definition, Map.of());
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Builds a pipeline stage by stage; policy setters apply to the last stage added. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private int maxConcurrent;
    private int priority;
    private JsonNode output;
    private final List<String> names = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<StagePolicy> policies = new ArrayList<>();
    private final List<ObjectNode> params = new ArrayList<>();
    private final Map<String, StageHandler> handlers = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder description(String text) {
      this.description = text;
      return this;
    }

    public Builder maxConcurrent(int runs) {
      this.maxConcurrent = runs;
      return this;
    }

    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    /**
     * What a run returns: a {@link Template} over {@code input} and {@code stages}, e.g. {@code
     * "{{stages.answer}}"}. Without it, the last stage that is not an effect or a check.
     */
    public Builder output(JsonNode template) {
      this.output = template;
      return this;
    }

    /** Adds a stage executed by {@code handler}. */
    public Builder stage(String stageName, StageHandler handler) {
      Objects.requireNonNull(handler, "handler");
      ObjectNode p = JsonNodeFactory.instance.objectNode();
      String handlerClass = handler.getClass().getName();
      int lambda = handlerClass.indexOf("$$Lambda");
      // A lambda's class name carries a per-JVM suffix; the version must not.
      p.put("handler", lambda < 0 ? handlerClass : handlerClass.substring(0, lambda + 8));
      add(stageName, "java", p);
      handlers.put(stageName, handler);
      return this;
    }

    /** Adds a stage of a built-in type with its parameters. */
    public Builder stage(String stageName, String type, ObjectNode stageParams) {
      add(
          stageName,
          type,
          stageParams == null ? JsonNodeFactory.instance.objectNode() : stageParams);
      return this;
    }

    private void add(String stageName, String type, ObjectNode p) {
      names.add(stageName);
      types.add(type);
      policies.add(StagePolicy.defaults());
      params.add(p);
    }

    public Builder timeout(Duration timeout) {
      return policy(last().withTimeout(timeout));
    }

    public Builder retry(RetryPolicy retry) {
      return policy(last().withRetry(retry));
    }

    public Builder dependency(String dependency) {
      return policy(last().withDependency(dependency));
    }

    public Builder effectful() {
      return policy(last().withEffectful(true));
    }

    /** A version string for the last stage's code, part of the pipeline's version. */
    public Builder version(String codeVersion) {
      params.getLast().put("version", codeVersion);
      return this;
    }

    private StagePolicy last() {
      if (policies.isEmpty()) {
        throw new IllegalStateException("add a stage before setting its policy");
      }
      return policies.getLast();
    }

    private Builder policy(StagePolicy policy) {
      policies.set(policies.size() - 1, policy);
      return this;
    }

    public Pipeline build() {
      List<StageDefinition> stages = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        stages.add(new StageDefinition(names.get(i), types.get(i), policies.get(i), params.get(i)));
      }
      return new Pipeline(
          new PipelineDefinition(name, description, maxConcurrent, priority, stages, output),
          handlers);
    }
  }
}
