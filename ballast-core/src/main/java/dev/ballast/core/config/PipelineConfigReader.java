package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.RetryPolicy;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StagePolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code prompts}, {@code pipelines} and {@code workers}. Each stage type's parameters are
 * checked here, with their paths, so that {@code ballast config check} finds a broken pipeline
 * before a run does: unknown keys, a missing model group or prompt, a reference to a stage that
 * comes later, a webhook URL that is not http(s).
 */
final class PipelineConfigReader {
  /** The built-in stage types this version executes, and the keys each accepts. */
  static final Map<String, Set<String>> TYPES =
      Map.of(
          "generate",
          Set.of("group", "prompt", "context", "schema", "max_tokens", "temperature"),
          "embed",
          Set.of("group", "text"),
          "validate",
          Set.of("of", "schema"),
          "transform",
          Set.of("output"),
          "http_action",
          Set.of("url", "method", "headers", "body"),
          "retrieve",
          StateStages.RETRIEVE_KEYS,
          "assemble_context",
          StateStages.ASSEMBLE_KEYS,
          "memory_update",
          StateStages.MEMORY_KEYS);

  private static final Set<String> COMMON =
      Set.of("name", "type", "timeout", "retry", "dependency");
  private static final Pattern STAGE_REF = Pattern.compile("\\{\\{\\s*stages\\.([^.}\\s\\[]+)");

  private final ConfigReader r;
  private final StateStages state;

  PipelineConfigReader(ConfigReader r) {
    this.r = r;
    this.state = new StateStages(r, this);
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
    Set<String> typeKeys = TYPES.get(type);
    if (typeKeys == null) {
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
    allowed.addAll(typeKeys);
    r.object(node, path, allowed);
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (String key : typeKeys) {
      if (node.has(key) && !node.get(key).isNull()) {
        params.set(key, node.get(key).deepCopy());
      }
    }
    String dependency = r.string(node, path, "dependency", null, false);
    boolean effectful = false;
    switch (type) {
      case "generate" -> {
        String group = group(path, node, groups);
        dependency = dependency == null && group != null ? "model:" + group : dependency;
        if (node.has("context")) {
          state.generateFromContext(path, node, params, earlier);
          objectIfPresent(path, node, "schema");
          break;
        }
        String promptName = r.required(node, path, "prompt");
        PromptConfig prompt = promptName == null ? null : prompts.get(promptName);
        if (promptName != null && prompt == null) {
          r.error(
              path + ".prompt",
              "unknown prompt \"" + promptName + "\"" + known(prompts.keySet(), "prompts"));
        } else if (prompt != null) {
          // The prompt's text is part of the stage, so editing a prompt changes the version.
          params.put("prompt_version", prompt.version());
          if (prompt.system() != null) {
            params.put("system_template", prompt.system());
          }
          params.put("user_template", prompt.user());
          checkRefs(path + ".prompt", prompt.user(), earlier);
          if (prompt.system() != null) {
            checkRefs(path + ".prompt", prompt.system(), earlier);
          }
        }
        objectIfPresent(path, node, "schema");
      }
      case "embed" -> {
        String group = group(path, node, groups);
        dependency = dependency == null && group != null ? "model:" + group : dependency;
        String text = r.required(node, path, "text");
        if (text != null) {
          checkRefs(path + ".text", text, earlier);
        }
      }
      case "validate" -> {
        String of = r.required(node, path, "of");
        if (of != null && !earlier.containsKey(of)) {
          r.error(
              path + ".of", "must name an earlier stage of this pipeline, but was \"" + of + "\"");
        }
        if (!node.has("schema")) {
          r.error(path + ".schema", "is required");
        } else {
          objectIfPresent(path, node, "schema");
        }
      }
      case "transform" -> {
        if (!node.has("output")) {
          r.error(path + ".output", "is required");
        } else {
          checkRefs(path + ".output", node.get("output").toString(), earlier);
        }
      }
      case "http_action" -> {
        effectful = true;
        String url = r.required(node, path, "url");
        URI uri = null;
        if (url != null) {
          try {
            uri = URI.create(url);
          } catch (IllegalArgumentException e) {
            r.error(path + ".url", "not a valid URL: " + e.getMessage());
          }
          if (uri != null
              && (uri.getHost() == null
                  || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())))) {
            r.error(path + ".url", "expected an http:// or https:// URL, but was \"" + url + "\"");
            uri = null;
          }
        }
        String method = r.string(node, path, "method", "POST", false);
        if (!Set.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
          r.error(
              path + ".method", "expected POST, PUT, PATCH or DELETE, but was \"" + method + "\"");
        }
        params.put("method", method);
        JsonNode headers = node.get("headers");
        if (headers != null && !headers.isNull()) {
          if (!headers.isObject()) {
            r.error(path + ".headers", "expected a mapping of header names to values");
          } else {
            headers
                .fields()
                .forEachRemaining(
                    h -> {
                      if (!h.getValue().isValueNode()) {
                        r.error(path + ".headers." + h.getKey(), "expected a string value");
                      } else if (h.getKey().equalsIgnoreCase("idempotency-key")) {
                        r.error(
                            path + ".headers." + h.getKey(),
                            "is set by Ballast to the effect's key; remove it");
                      }
                    });
          }
        }
        if (node.has("body")) {
          checkRefs(path + ".body", node.get("body").toString(), earlier);
        }
        if (dependency == null && uri != null) {
          int port =
              uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
          dependency = "http:" + uri.getHost() + ":" + port;
        }
      }
      case "retrieve" -> state.retrieve(path, node, params, earlier);
      case "assemble_context" -> {
        String group = group(path, node, groups);
        state.assembleContext(
            path, node, params, earlier, group == null ? null : groups.get(group), groups, prompts);
      }
      case "memory_update" -> {
        effectful = true;
        state.memoryUpdate(path, node, params, earlier);
      }
      default -> throw new IllegalStateException(type);
    }
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
    Matcher m = STAGE_REF.matcher(output.toString());
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

  private String group(String path, JsonNode node, Map<String, GroupConfig> groups) {
    String group = r.required(node, path, "group");
    if (group != null && !groups.containsKey(group)) {
      r.error(
          path + ".group",
          "unknown model group \"" + group + "\"" + known(groups.keySet(), "groups"));
      return null;
    }
    return group;
  }

  private void objectIfPresent(String path, JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value != null && !value.isNull() && !value.isObject()) {
      r.error(
          path + "." + key, "expected a JSON Schema mapping, but was " + ConfigReader.kind(value));
    }
  }

  /** A template may refer only to stages that run before it. */
  void checkRefs(String path, String template, Map<String, String> earlier) {
    Matcher m = STAGE_REF.matcher(template);
    while (m.find()) {
      if (!earlier.containsKey(m.group(1))) {
        r.error(
            path,
            "refers to stages." + m.group(1) + ", which is not an earlier stage of this pipeline");
      }
    }
  }

  private static String known(Set<String> names, String section) {
    return names.isEmpty()
        ? " (no " + section + " are defined)"
        : " (defined: " + String.join(", ", new java.util.TreeSet<>(names)) + ")";
  }
}
