package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.normalize.ClientSchemas;
import dev.ballast.core.normalize.InvalidSchemaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code canaries}, reporting every problem with its path. */
final class CanaryConfigReader {
  private static final Set<String> KEYS =
      Set.of("group", "pipeline", "every", "system", "input", "checks");
  private static final Set<String> CHECK_KEYS =
      Set.of("contains", "not_contains", "regex", "max_tokens", "json_schema", "similar_to");
  private static final Duration MIN_EVERY = Duration.ofSeconds(1);

  private CanaryConfigReader() {}

  static Map<String, CanaryConfig> read(
      ConfigReader r, JsonNode node, Map<String, GroupConfig> groups, Set<String> pipelines) {
    return r.named(node, "canaries", (name, value) -> canary(r, name, value, groups, pipelines));
  }

  private static CanaryConfig canary(
      ConfigReader r,
      String name,
      JsonNode node,
      Map<String, GroupConfig> groups,
      Set<String> pipelines) {
    String path = "canaries." + name;
    if (!r.object(node, path, KEYS)) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected a group or a pipeline, and input)");
      }
      return null;
    }
    String group = r.string(node, path, "group", null, false);
    String pipeline = r.string(node, path, "pipeline", null, false);
    if (group == null && pipeline == null) {
      r.error(path, "needs a group (a model group to ask) or a pipeline (to run)");
    } else if (group != null && pipeline != null) {
      r.error(path, "names both a group and a pipeline; a canary checks one of them");
    }
    if (group != null && !groups.containsKey(group)) {
      r.error(path + ".group", "unknown model group \"" + group + "\"");
    }
    if (pipeline != null && !pipelines.contains(pipeline)) {
      r.error(path + ".pipeline", "unknown pipeline \"" + pipeline + "\"");
    }
    if (pipeline != null && node.has("system")) {
      r.error(path + ".system", "only a group canary has a system message");
    }
    Duration every = r.duration(node, path, "every", CanaryConfig.DEFAULT_EVERY);
    if (every.compareTo(MIN_EVERY) < 0) {
      r.error(path + ".every", "must be at least 1s, but was " + every.toMillis() + "ms");
      every = CanaryConfig.DEFAULT_EVERY;
    }
    // A group's canary asks one user message; a pipeline's submits whatever input it takes.
    String input;
    if (pipeline == null) {
      input = r.required(node, path, "input");
    } else if (node.get("input") == null || node.get("input").isNull()) {
      r.error(path + ".input", "is required (the pipeline run's input)");
      input = null;
    } else {
      input = node.get("input").toString();
    }
    return new CanaryConfig(
        name,
        group,
        pipeline,
        every,
        r.string(node, path, "system", null, false),
        input,
        checks(r, path + ".checks", node.get("checks")));
  }

  private static CanaryConfig.Checks checks(ConfigReader r, String path, JsonNode node) {
    if (!r.object(node, path, CHECK_KEYS)) {
      return new CanaryConfig.Checks(List.of(), List.of(), List.of(), 0, null, null);
    }
    List<Pattern> regex = new ArrayList<>();
    List<String> sources = r.strings(node, path, "regex");
    for (int i = 0; i < sources.size(); i++) {
      try {
        regex.add(Pattern.compile(sources.get(i)));
      } catch (PatternSyntaxException e) {
        r.error(path + ".regex[" + i + "]", "invalid regex: " + e.getDescription());
      }
    }
    int maxTokens =
        node.has("max_tokens") ? (int) r.integer(node, path, "max_tokens", 0, 1, 1_000_000) : 0;
    return new CanaryConfig.Checks(
        r.strings(node, path, "contains"),
        r.strings(node, path, "not_contains"),
        regex,
        maxTokens,
        schema(r, path + ".json_schema", node.get("json_schema")),
        similarity(r, path + ".similar_to", node.get("similar_to")));
  }

  private static JsonNode schema(ConfigReader r, String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      r.error(path, "expected a JSON Schema mapping, but was " + ConfigReader.kind(node));
      return null;
    }
    try {
      ClientSchemas.shared().compile(node, path);
      return node;
    } catch (InvalidSchemaException e) {
      r.error(path, e.getMessage());
      return null;
    }
  }

  private static CanaryConfig.Similarity similarity(ConfigReader r, String path, JsonNode node) {
    if (!r.object(node, path, Set.of("reference", "threshold"))) {
      return null;
    }
    String reference = r.required(node, path, "reference");
    double threshold =
        r.decimal(node, path, "threshold", CanaryConfig.Similarity.DEFAULT_THRESHOLD);
    if (threshold > 1) {
      r.error(path + ".threshold", "must be between 0 and 1, but was " + threshold);
    }
    return reference == null ? null : new CanaryConfig.Similarity(reference, threshold);
  }
}
