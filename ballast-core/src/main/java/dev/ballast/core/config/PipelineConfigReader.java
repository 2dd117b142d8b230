package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.EmbedSpec;
import dev.ballast.core.pipeline.GenerateSpec;
import dev.ballast.core.pipeline.HttpActionSpec;
import dev.ballast.core.pipeline.MemoryUpdateSpec;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.RetrieveSpec;
import dev.ballast.core.pipeline.RetryPolicy;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StagePolicy;
import dev.ballast.core.pipeline.StageSpec;
import dev.ballast.core.pipeline.TransformSpec;
import dev.ballast.core.pipeline.ValidateSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Reads {@code prompts}, {@code pipelines} and {@code workers}. Each stage type's parameters are
 * checked here, with their paths, so that {@code ballast config check} finds a broken pipeline
 * before a run does: unknown keys, a missing model group or prompt, a reference to a stage that
 * comes later, a webhook URL that is not http(s).
 */
final class PipelineConfigReader {
  /** The built-in stage types this version executes: the keys each accepts, and its reader. */
  private record Kind(Set<String> keys, Function<StageInput, StageSpec> reader) {}

  static final Map<String, Kind> TYPES =
      Map.of(
          GenerateSpec.TYPE, new Kind(GenerateSpecReader.KEYS, GenerateSpecReader::read),
          EmbedSpec.TYPE, new Kind(EmbedSpecReader.KEYS, EmbedSpecReader::read),
          ValidateSpec.TYPE, new Kind(ValidateSpecReader.KEYS, ValidateSpecReader::read),
          TransformSpec.TYPE, new Kind(TransformSpecReader.KEYS, TransformSpecReader::read),
          HttpActionSpec.TYPE, new Kind(HttpActionSpecReader.KEYS, HttpActionSpecReader::read),
          RetrieveSpec.TYPE, new Kind(RetrieveSpecReader.KEYS, RetrieveSpecReader::read),
          AssembleContextSpec.TYPE,
              new Kind(AssembleContextSpecReader.KEYS, AssembleContextSpecReader::read),
          MemoryUpdateSpec.TYPE,
              new Kind(MemoryUpdateSpecReader.KEYS, MemoryUpdateSpecReader::read));

  private static final Set<String> COMMON =
      Set.of("name", "type", "timeout", "retry", "dependency");

  /**
   * The parameters a spec normalizes (a default, an integer for a number written as text) over what
   * was written; every other parameter is kept as written.
   */
  private static final Set<String> NORMALIZED = Set.of("method", "k", "mode", "reserve_output");

  private final ConfigReader r;

  PipelineConfigReader(ConfigReader r) {
    this.r = r;
  }

  Map<String, PromptConfig> prompts(JsonNode node) {
    return r.named(node, "prompts", this::prompt);
  }

  private PromptConfig prompt(String name, JsonNode node) {
    String path = "prompts." + name;
    if (node != null && node.isTextual()) {
      ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
      wrapper.set("user", node);
      return PromptConfig.of(name, null, r.string(wrapper, path, "user", null, false));
    }
    if (!r.object(node, path, Set.of("system", "user"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected a template string or {system, user})");
      }
      return null;
    }
    String user = r.required(node, path, "user");
    return user == null
        ? null
        : PromptConfig.of(name, r.string(node, path, "system", null, false), user);
  }

  WorkersConfig workers(JsonNode node) {
    WorkersConfig d = WorkersConfig.DEFAULT;
    String p = "workers";
    r.object(node, p, Set.of("concurrency", "lease", "heartbeat", "poll"));
    int concurrency = (int) r.integer(node, p, "concurrency", d.concurrency(), 1, 10_000);
    Duration lease = r.duration(node, p, "lease", d.lease());
    Duration heartbeat = r.duration(node, p, "heartbeat", d.heartbeat());
    Duration poll = r.duration(node, p, "poll", d.poll());
    if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
      r.error(
          p + ".heartbeat",
          "must be at most half of workers.lease ("
              + lease
              + ") so that one late heartbeat does not lose the lease, but was "
              + heartbeat);
    }
    return new WorkersConfig(concurrency, lease, heartbeat, poll);
  }

  Map<String, PipelineDefinition> pipelines(
      JsonNode node, Map<String, GroupConfig> groups, Map<String, PromptConfig> prompts) {
    return r.named(node, "pipelines", (name, body) -> pipeline(name, body, groups, prompts));
  }

  private PipelineDefinition pipeline(
      String name,
      JsonNode node,
      Map<String, GroupConfig> groups,
      Map<String, PromptConfig> prompts) {
    String path = "pipelines." + name;
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      r.error(path, "pipeline names must match [a-z0-9][a-z0-9_-]{0,62}");
      return null;
    }
    if (!r.object(
        node,
        path,
        Set.of("description", "max_concurrent", "priority", "stages", "tenants", "output"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected stages)");
      }
      return null;
    }
    JsonNode stagesNode = node.get("stages");
    if (stagesNode == null || !stagesNode.isArray() || stagesNode.isEmpty()) {
      r.error(path + ".stages", "must be a list of at least one stage");
      return null;
    }
    int errorsBefore = r.errors().size();
    List<StageDefinition> stages = new ArrayList<>();
    // Earlier stages by name, with their types: a stage may refer only to stages before it.
    Map<String, String> earlier = new java.util.LinkedHashMap<>();
    for (int i = 0; i < stagesNode.size(); i++) {
      StageDefinition stage =
          stage(path + ".stages[" + i + "]", stagesNode.get(i), earlier, groups, prompts);
      if (stage != null) {
        stages.add(stage);
        earlier.put(stage.name(), stage.type());
      }
    }
    oneConversation(path, stages);
    JsonNode output = output(path, node.get("output"), earlier);
    int maxConcurrent = (int) r.integer(node, path, "max_concurrent", 0, 0, 100_000);
    int priority = (int) r.integer(node, path, "priority", 0, -1000, 1000);
    if (r.errors().size() > errorsBefore) {
      return null;
    }
    return new PipelineDefinition(
        name,
        r.string(node, path, "description", "", false),
        maxConcurrent,
        priority,
        stages,
        output);
  }

  private StageDefinition stage(
      String path,
      JsonNode node,
      Map<String, String> earlier,
      Map<String, GroupConfig> groups,
      Map<String, PromptConfig> prompts) {
    if (node == null || !node.isObject()) {
      r.error(path, "expected a stage mapping with name and type");
      return null;
    }
    String name = r.required(node, path, "name");
    String type = r.required(node, path, "type");
    if (name == null || type == null) {
      return null;
    }
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      r.error(path + ".name", "must match [a-z0-9][a-z0-9_-]{0,62}, but was \"" + name + "\"");
      return null;
    }
    if (earlier.containsKey(name)) {
      r.error(path + ".name", "another stage of this pipeline is already named \"" + name + "\"");
    }
    Kind kind = TYPES.get(type);
    if (kind == null) {
      r.error(
          path + ".type",
          "unknown stage type \""
              + type
              + "\" (expected one of: "
              + String.join(", ", new java.util.TreeSet<>(TYPES.keySet()))
              + ")");
      return null;
    }
    Set<String> allowed = new HashSet<>(COMMON);
    allowed.addAll(kind.keys());
    r.object(node, path, allowed);
    String dependency = r.string(node, path, "dependency", null, false);
    int errorsBefore = r.errors().size();
    StageSpec spec = kind.reader().apply(new StageInput(r, path, node, earlier, groups, prompts));
    if (spec == null && r.errors().size() == errorsBefore) {
      r.error(path, "a required parameter of this " + type + " stage is null");
    }
    if (dependency == null && spec != null) {
      dependency = spec.defaultDependency();
    }
    boolean effectful = spec != null && spec.effectful();
    ObjectNode params = params(node, kind.keys(), spec);
    Duration timeout = r.duration(node, path, "timeout", StagePolicy.DEFAULT_TIMEOUT);
    RetryPolicy retry = retry(path, node.get("retry"));
    if (timeout.isZero() || timeout.isNegative()) {
      r.error(path + ".timeout", "must be positive");
      return null;
    }
    try {
      return new StageDefinition(
          name, type, new StagePolicy(timeout, retry, dependency, effectful), params);
    } catch (IllegalArgumentException e) {
      r.error(path, e.getMessage());
      return null;
    }
  }

  /**
   * The declared output of a run: a template over {@code input} and the stages' outputs (any stage,
   * since it is rendered once every stage completed). Null when not declared.
   */
  private JsonNode output(String path, JsonNode output, Map<String, String> stages) {
    if (output == null || output.isNull()) {
      return null;
    }
    Matcher m = StageInput.STAGE_REF.matcher(output.toString());
    while (m.find()) {
      if (!stages.containsKey(m.group(1))) {
        r.error(
            path + ".output",
            "refers to stages."
                + m.group(1)
                + ", which is not a stage of this pipeline (stages: "
                + String.join(", ", stages.keySet())
                + ")");
      }
    }
    return output.deepCopy();
  }

  /** A run pins one conversation, so every stage that names one must name the same. */
  private void oneConversation(String path, List<StageDefinition> stages) {
    String first = null;
    for (int i = 0; i < stages.size(); i++) {
      String c = stages.get(i).param("conversation");
      if (c == null) {
        continue;
      }
      if (first == null) {
        first = c;
      } else if (!first.equals(c)) {
        r.error(
            path + ".stages." + stages.get(i).name() + ".conversation",
            "a run reads and writes one conversation, but this stage names \""
                + c
                + "\" and an earlier one \""
                + first
                + "\"");
      }
    }
  }

  private RetryPolicy retry(String stagePath, JsonNode node) {
    String p = stagePath + ".retry";
    RetryPolicy d = RetryPolicy.DEFAULT;
    r.object(node, p, Set.of("max_attempts", "backoff", "max_backoff", "multiplier"));
    int attempts = (int) r.integer(node, p, "max_attempts", d.maxAttempts(), 1, 1000);
    Duration backoff = r.duration(node, p, "backoff", d.initialBackoff());
    Duration max =
        r.duration(
            node,
            p,
            "max_backoff",
            d.maxBackoff().compareTo(backoff) < 0 ? backoff : d.maxBackoff());
    double multiplier = r.decimal(node, p, "multiplier", d.multiplier());
    if (max.compareTo(backoff) < 0) {
      r.error(p + ".max_backoff", "must be at least backoff (" + backoff + "), but was " + max);
      return d;
    }
    if (multiplier < 1) {
      r.error(p + ".multiplier", "must be at least 1, but was " + multiplier);
      return d;
    }
    return new RetryPolicy(attempts, backoff, max, multiplier);
  }

  /**
   * The parameters as written, so that an unchanged configuration keeps its version, with what the
   * spec resolved (a prompt's text, a group's context window) or {@link #NORMALIZED} over them.
   */
  private static ObjectNode params(JsonNode node, Set<String> keys, StageSpec spec) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (String key : keys) {
      if (node.has(key) && !node.get(key).isNull()) {
        params.set(key, node.get(key).deepCopy());
      }
    }
    if (spec != null) {
      for (Map.Entry<String, JsonNode> e : spec.params().properties()) {
        if (!params.has(e.getKey()) || NORMALIZED.contains(e.getKey())) {
          params.set(e.getKey(), e.getValue());
        }
      }
    }
    return params;
  }
}
