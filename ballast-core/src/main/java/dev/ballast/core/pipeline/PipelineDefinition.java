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
 */
public record PipelineDefinition(
    String name,
    String description,
    int maxConcurrent,
    int priority,
    List<StageDefinition> stages,
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
    String derived = versionOf(stages);
    if (version == null) {
      version = derived;
    } else if (!version.equals(derived)) {
      throw new IllegalArgumentException(
          "version " + version + " does not match the content's version " + derived);
    }
  }

  public PipelineDefinition(
      String name, String description, int maxConcurrent, int priority, List<StageDefinition> s) {
    this(name, description, maxConcurrent, priority, s, null);
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

  private static String versionOf(List<StageDefinition> stages) {
    String json = canonicalContent(stages).toString();
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
