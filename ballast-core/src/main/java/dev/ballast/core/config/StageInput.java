package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.PromptRef;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stage's spec reader reads: the stage's YAML at its path, the stages before it (by name,
 * with their types: a stage may refer only to stages before it), and the groups and prompts it may
 * name. The checks shared by several stage types live here, so their messages stay the same.
 */
record StageInput(
    ConfigReader r,
    String path,
    JsonNode node,
    Map<String, String> earlier,
    Map<String, GroupConfig> groups,
    Map<String, PromptConfig> prompts) {
  static final Pattern STAGE_REF = Pattern.compile("\\{\\{\\s*stages\\.([^.}\\s\\[]+)");
  private static final Pattern NOT_INPUT = Pattern.compile("\\{\\{\\s*(?!input[.}\\s]|run\\.id)");

  String at(String key) {
    return path + "." + key;
  }

  /** The required {@code group}, or null when missing or not a defined group. */
  String group() {
    String group = r.required(node, path, "group");
    if (group != null && !groups.containsKey(group)) {
      r.error(
          at("group"), "unknown model group \"" + group + "\"" + known(groups.keySet(), "groups"));
      return null;
    }
    return group;
  }

  /**
   * The required {@code prompt}, resolved, or null when missing or unknown.
   *
   * @param listKnown whether the error for an unknown prompt lists the defined ones
   */
  PromptRef prompt(boolean listKnown) {
    String name = r.required(node, path, "prompt");
    PromptConfig prompt = name == null ? null : prompts.get(name);
    if (name != null && prompt == null) {
      r.error(
          at("prompt"),
          "unknown prompt \""
              + name
              + "\""
              + (listKnown ? known(prompts.keySet(), "prompts") : ""));
      return null;
    }
    return prompt == null
        ? null
        : new PromptRef(name, prompt.version(), prompt.system(), prompt.user());
  }

  /** The mapping at {@code key} (a JSON Schema), or null when absent or not a mapping. */
  JsonNode schema(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      r.error(at(key), "expected a JSON Schema mapping, but was " + ConfigReader.kind(value));
      return null;
    }
    return value;
  }

  /** A template may refer only to stages that run before it. */
  void checkRefs(String at, String template) {
    Matcher m = STAGE_REF.matcher(template);
    while (m.find()) {
      if (!earlier.containsKey(m.group(1))) {
        r.error(
            at,
            "refers to stages." + m.group(1) + ", which is not an earlier stage of this pipeline");
      }
    }
  }

  /** {@code stage} must be an earlier stage of {@code type}. */
  boolean requireEarlier(String at, String stage, String type) {
    String actual = earlier.get(stage);
    if (actual == null) {
      r.error(at, "must name an earlier stage of this pipeline, but was \"" + stage + "\"");
      return false;
    }
    if (!actual.equals(type)) {
      r.error(
          at,
          "must name an earlier "
              + type
              + " stage, but \""
              + stage
              + "\" is a "
              + actual
              + " stage");
      return false;
    }
    return true;
  }

  /**
   * The {@code conversation} template, or null; it may refer only to the input, because the
   * conversation is pinned when the run is submitted, before any stage has run (docs/state.md,
   * invariant 8).
   */
  String conversation() {
    String conversation = r.string(node, path, "conversation", null, false);
    if (conversation != null && NOT_INPUT.matcher(conversation).find()) {
      r.error(
          at("conversation"),
          "may refer only to {{input...}}: the conversation is pinned when the run is submitted,"
              + " before any stage runs, but was \""
              + conversation
              + "\"");
    }
    return conversation;
  }

  static String known(Set<String> names, String section) {
    return names.isEmpty()
        ? " (no " + section + " are defined)"
        : " (defined: " + String.join(", ", new TreeSet<>(names)) + ")";
  }
}
