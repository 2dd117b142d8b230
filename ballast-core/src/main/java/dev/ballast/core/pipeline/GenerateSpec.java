package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code generate}: calls a model group with a prompt, or with the messages of an earlier {@code
 * assemble_context} stage.
 *
 * @param prompt the resolved prompt; null when the stage takes a {@code context}
 * @param context the name of an earlier {@code assemble_context} stage, or null
 * @param schema a JSON Schema the answer must match, or null for a text answer
 * @param maxTokens null for the group's default
 * @param temperature null for the group's default
 */
public record GenerateSpec(
    String group,
    PromptRef prompt,
    String context,
    JsonNode schema,
    Integer maxTokens,
    Double temperature)
    implements StageSpec {
  public static final String TYPE = "generate";

  public GenerateSpec {
    Objects.requireNonNull(group, "group is required");
    if (prompt == null && context == null) {
      throw new IllegalArgumentException("a generate stage needs a prompt or a context");
    }
    schema = Params.copy(schema);
  }

  static GenerateSpec fromParams(ObjectNode p) {
    return new GenerateSpec(
        Params.required(p, "group"),
        p.hasNonNull("context") ? null : PromptRef.fromParams(p),
        Params.text(p, "context"),
        Params.json(p, "schema"),
        p.hasNonNull("max_tokens") ? p.get("max_tokens").asInt() : null,
        p.hasNonNull("temperature") ? p.get("temperature").asDouble() : null);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("group", group);
    if (prompt != null) {
      prompt.putInto(p);
    }
    Params.put(p, "context", context);
    Params.put(p, "schema", schema);
    if (maxTokens != null) {
      p.put("max_tokens", maxTokens);
    }
    if (temperature != null) {
      p.put("temperature", temperature);
    }
    return p;
  }

  @Override
  public String defaultDependency() {
    return "model:" + group;
  }
}
