package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the parameters of the stage types that read and write versioned state: {@code retrieve},
 * {@code assemble_context}, {@code memory_update}, and {@code generate} from an assembled context.
 * Their references to earlier stages must name stages of the right type, and a {@code conversation}
 * template may use only the run's input, because the conversation is pinned when the run is
 * submitted, before any stage has run (docs/state.md, invariant 8).
 */
final class StateStages {
  static final Set<String> RETRIEVE_KEYS =
      Set.of("collection", "query", "k", "mode", "vector_from");
  static final Set<String> ASSEMBLE_KEYS =
      Set.of("group", "prompt", "chunks", "conversation", "reserve_output", "question");
  static final Set<String> MEMORY_KEYS = Set.of("conversation", "append", "facts");

  private static final Set<String> MODES = Set.of("vector", "keyword", "hybrid");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");
  private static final Pattern NOT_INPUT = Pattern.compile("\\{\\{\\s*(?!input[.}\\s]|run\\.id)");

  private final ConfigReader r;
  private final PipelineConfigReader pipelines;

  StateStages(ConfigReader r, PipelineConfigReader pipelines) {
    this.r = r;
    this.pipelines = pipelines;
  }

  void retrieve(String path, JsonNode node, ObjectNode params, Map<String, String> earlier) {
    String collection = r.required(node, path, "collection");
    if (collection != null && !collection.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      r.error(path + ".collection", "must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    }
    String query = r.required(node, path, "query");
    if (query != null) {
      pipelines.checkRefs(path + ".query", query, earlier);
    }
    params.put("k", (int) r.integer(node, path, "k", 5, 1, 100));
    String mode = r.string(node, path, "mode", "hybrid", false);
    if (!MODES.contains(mode)) {
      r.error(path + ".mode", "expected vector, keyword or hybrid, but was \"" + mode + "\"");
    }
    params.put("mode", mode);
    String from = r.string(node, path, "vector_from", null, false);
    if (from != null) {
      requireEarlier(path + ".vector_from", from, "embed", earlier);
    }
  }

  void assembleContext(
      String path,
      JsonNode node,
      ObjectNode params,
      Map<String, String> earlier,
      GroupConfig group,
      Map<String, GroupConfig> groups,
      Map<String, PromptConfig> prompts) {
    String promptName = r.required(node, path, "prompt");
    PromptConfig prompt = promptName == null ? null : prompts.get(promptName);
    if (promptName != null && prompt == null) {
      r.error(path + ".prompt", "unknown prompt \"" + promptName + "\"");
    } else if (prompt != null) {
      // The prompt's text is part of the stage, so editing a prompt changes the version.
      params.put("prompt_version", prompt.version());
      if (prompt.system() != null) {
        params.put("system_template", prompt.system());
        pipelines.checkRefs(path + ".prompt", prompt.system(), earlier);
      }
      params.put("user_template", prompt.user());
      pipelines.checkRefs(path + ".prompt", prompt.user(), earlier);
    }
    String chunks = r.string(node, path, "chunks", null, false);
    if (chunks != null) {
      requireEarlier(path + ".chunks", chunks, "retrieve", earlier);
    }
    conversation(path, node);
    if (group != null) {
      int reserve = (int) r.integer(node, path, "reserve_output", 1024, 0, 1_000_000);
      if (reserve >= group.contextWindow()) {
        r.error(
            path + ".reserve_output",
            "must be less than the context window of group "
                + group.name()
                + " ("
                + group.contextWindow()
                + "), but was "
                + reserve);
      }
      params.put("reserve_output", reserve);
      params.put("context_window", group.contextWindow());
      GroupConfig larger = group.largerContext() == null ? null : groups.get(group.largerContext());
      if (larger != null) {
        params.put("larger_context", larger.name());
        params.put("larger_context_window", larger.contextWindow());
      }
    }
  }

  void memoryUpdate(String path, JsonNode node, ObjectNode params, Map<String, String> earlier) {
    if (conversation(path, node) == null) {
      r.error(path + ".conversation", "is required");
    }
    JsonNode append = node.get("append");
    JsonNode facts = node.get("facts");
    if ((append == null || append.isNull()) && (facts == null || facts.isNull())) {
      r.error(path, "expected append (turns) or facts, or both");
    }
    if (append != null && !append.isNull()) {
      if (!append.isArray() || append.isEmpty()) {
        r.error(path + ".append", "expected a list of {role, content}");
      } else {
        for (int i = 0; i < append.size(); i++) {
          turn(path + ".append[" + i + "]", append.get(i), earlier);
        }
      }
    }
    if (facts != null && !facts.isNull()) {
      if (!facts.isObject() || facts.isEmpty()) {
        r.error(path + ".facts", "expected a mapping of fact keys to text templates");
      } else {
        facts
            .fields()
            .forEachRemaining(
                f -> {
                  if (!f.getValue().isTextual()) {
                    r.error(path + ".facts." + f.getKey(), "expected a text template");
                  } else {
                    pipelines.checkRefs(
                        path + ".facts." + f.getKey(), f.getValue().asText(), earlier);
                  }
                });
      }
    }
  }

  void generateFromContext(
      String path, JsonNode node, ObjectNode params, Map<String, String> earlier) {
    if (node.has("prompt")) {
      r.error(path, "give either prompt or context, not both");
    }
    String context = r.string(node, path, "context", null, false);
    if (context != null) {
      requireEarlier(path + ".context", context, "assemble_context", earlier);
    }
  }

  private void turn(String path, JsonNode node, Map<String, String> earlier) {
    if (!r.object(node, path, Set.of("role", "content"))) {
      r.error(path, "expected {role, content}");
      return;
    }
    String role = r.required(node, path, "role");
    if (role != null && !ROLES.contains(role)) {
      r.error(path + ".role", "expected user, assistant or system, but was \"" + role + "\"");
    }
    String content = r.required(node, path, "content");
    if (content != null) {
      pipelines.checkRefs(path + ".content", content, earlier);
    }
  }

  /** The conversation template, which may refer only to the input: it is pinned at submission. */
  private String conversation(String path, JsonNode node) {
    String conversation = r.string(node, path, "conversation", null, false);
    if (conversation != null && NOT_INPUT.matcher(conversation).find()) {
      r.error(
          path + ".conversation",
          "may refer only to {{input...}}: the conversation is pinned when the run is submitted,"
              + " before any stage runs, but was \""
              + conversation
              + "\"");
    }
    return conversation;
  }

  private void requireEarlier(String path, String stage, String type, Map<String, String> earlier) {
    String actual = earlier.get(stage);
    if (actual == null) {
      r.error(path, "must name an earlier stage of this pipeline, but was \"" + stage + "\"");
    } else if (!actual.equals(type)) {
      r.error(
          path,
          "must name an earlier "
              + type
              + " stage, but \""
              + stage
              + "\" is a "
              + actual
              + " stage");
    }
  }
}
