package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.journal.Payload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A pipeline: an ordered list of stages that a run executes one after the other, each stage's
 * output checkpointed before the next starts.
 *
 * <p>The {@link #version} is derived from the content that decides what a run does — the stages'
 * names, types, policies and parameters (prompts are resolved into the parameters) — never from the
 * description or the concurrency limit. Two nodes with the same definition agree on the version; a
 * run records the version it was submitted under.
 *
 * @param maxConcurrent how many runs of this pipeline execute at once, counted over every worker
 *     node of the store; 0 for no limit beyond the nodes' slots
 * @param priority the default priority of submitted runs; higher is claimed first
 * @param output the declared output of a run, a {@link Template} over {@code input} and {@code
 *     stages} (e.g. {@code "{{stages.answer}}"}); null for the default, see {@link #runOutput}
 */
public record PipelineDefinition(
    String name,
    String description,
    int maxConcurrent,
    int priority,
    List<StageDefinition> stages,
    JsonNode output,
    String version) {

  public PipelineDefinition {
    if (!StageDefinition.validName(name)) {
      throw new IllegalArgumentException(
          "pipeline name must match [a-z0-9][a-z0-9_-]{0,62}, but was \"" + name + "\"");
    }
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no stages");
    }
    Set<String> seen = new HashSet<>();
    for (StageDefinition stage : stages) {
      if (!seen.add(stage.name())) {
        throw new IllegalArgumentException(
            "pipeline " + name + " has two stages named " + stage.name());
      }
    }
    if (maxConcurrent < 0) {
      throw new IllegalArgumentException("maxConcurrent must be >= 0, but was " + maxConcurrent);
    }
    output = output == null || output.isNull() ? null : output.deepCopy();
    String derived = versionOf(stages, output);
    if (version == null) {
      version = derived;
    } else if (!version.equals(derived)) {
      throw new IllegalArgumentException(
          "version " + version + " does not match the content's version " + derived);
    }
  }

  public PipelineDefinition(
      String name, String description, int maxConcurrent, int priority, List<StageDefinition> s) {
    this(name, description, maxConcurrent, priority, s, null, null);
  }

  public PipelineDefinition(
      String name,
      String description,
      int maxConcurrent,
      int priority,
      List<StageDefinition> s,
      JsonNode output) {
    this(name, description, maxConcurrent, priority, s, output, null);
  }

  /** The declared output template; a copy, so the definition stays immutable. Null if none. */
  @Override
  public JsonNode output() {
    return output == null ? null : output.deepCopy();
  }

  /**
   * What a run of this pipeline returns once every stage completed: the declared {@link #output}
   * rendered against {@code scope}, or by default the output of the last stage that is neither an
   * effect (a webhook, a memory write: their output is a receipt) nor a {@code validate} check
   * (whose output only says the checked stage passed). A pipeline of effects alone returns its last
   * stage's output.
   *
   * @param scope the run's template scope, with every stage's output under {@code stages}
   * @throws StageException when the declared output refers to something absent
   */
  public JsonNode runOutput(JsonNode scope) {
    if (output != null) {
      return Template.render(output, scope);
    }
    JsonNode outputs = scope.path("stages");
    for (int i = stages.size() - 1; i >= 0; i--) {
      StageDefinition stage = stages.get(i);
      JsonNode out = outputs.get(stage.name());
      if (out != null && !stage.policy().effectful() && !"validate".equals(stage.type())) {
        return out;
      }
    }
    return lastOutput(outputs);
  }

  private JsonNode lastOutput(JsonNode outputs) {
    for (int i = stages.size() - 1; i >= 0; i--) {
      JsonNode out = outputs.get(stages.get(i).name());
      if (out != null) {
        return out;
      }
    }
    return JsonNodeFactory.instance.nullNode();
  }

  public StageDefinition stage(int index) {
    return stages.get(index);
  }

  public int indexOf(String stageName) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).name().equals(stageName)) {
        return i;
      }
    }
    return -1;
  }

  /** The canonical JSON the version hashes: stages in order, object keys sorted. */
  public static JsonNode canonicalContent(List<StageDefinition> stages) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode array = f.arrayNode();
    for (StageDefinition s : stages) {
      ObjectNode stage = array.addObject();
      stage.put("name", s.name());
      stage.put("type", s.type());
      StagePolicy p = s.policy();
      ObjectNode policy = stage.putObject("policy");
      policy.put("timeout_ms", p.timeout().toMillis());
      policy.put("max_attempts", p.retry().maxAttempts());
      policy.put("backoff_ms", p.retry().initialBackoff().toMillis());
      policy.put("max_backoff_ms", p.retry().maxBackoff().toMillis());
      policy.put("multiplier", p.retry().multiplier());
      policy.put("dependency", p.dependency());
      policy.put("effectful", p.effectful());
      stage.set("params", sorted(s.params()));
    }
    return array;
  }

  /**
   * A declared output is part of the version (it decides what a run returns); without one the
   * version is the stages' alone, as it was before outputs could be declared.
   */
  private static String versionOf(List<StageDefinition> stages, JsonNode output) {
    JsonNode content = canonicalContent(stages);
    if (output != null) {
      ObjectNode both = JsonNodeFactory.instance.objectNode();
      both.set("stages", content);
      both.set("output", sorted(output));
      content = both;
    }
    String json = content.toString();
    return Payload.sha256(json.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String n : names) {
        out.set(n, sorted(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
