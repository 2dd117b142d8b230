package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.Role;
import dev.ballast.core.pipeline.MemoryUpdateSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@code memory_update} stage: the conversation, turns to append and facts to set. */
final class MemoryUpdateSpecReader {
  static final Set<String> KEYS = Set.of("conversation", "append", "facts");

  private static final Set<String> ROLES = Set.of("user", "assistant", "system");

  private MemoryUpdateSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static MemoryUpdateSpec read(StageInput in) {
    ConfigReader r = in.r();
    String conversation = in.conversation();
    if (conversation == null) {
      r.error(in.at("conversation"), "is required");
    }
    JsonNode append = in.node().get("append");
    JsonNode facts = in.node().get("facts");
    if ((append == null || append.isNull()) && (facts == null || facts.isNull())) {
      r.error(in.path(), "expected append (turns) or facts, or both");
      return null;
    }
    List<MemoryUpdateSpec.Turn> turns = turns(in, append);
    Map<String, String> factTemplates = facts(in, facts);
    return conversation == null || turns == null || factTemplates == null
        ? null
        : new MemoryUpdateSpec(conversation, turns, factTemplates);
  }

  private static List<MemoryUpdateSpec.Turn> turns(StageInput in, JsonNode append) {
    List<MemoryUpdateSpec.Turn> turns = new ArrayList<>();
    if (append == null || append.isNull()) {
      return turns;
    }
    if (!append.isArray() || append.isEmpty()) {
      in.r().error(in.at("append"), "expected a list of {role, content}");
      return null;
    }
    for (int i = 0; i < append.size(); i++) {
      MemoryUpdateSpec.Turn turn = turn(in, in.at("append[" + i + "]"), append.get(i));
      if (turn == null) {
        turns = null;
      } else if (turns != null) {
        turns.add(turn);
      }
    }
    return turns;
  }

  private static MemoryUpdateSpec.Turn turn(StageInput in, String path, JsonNode node) {
    ConfigReader r = in.r();
    if (!r.object(node, path, Set.of("role", "content"))) {
      r.error(path, "expected {role, content}");
      return null;
    }
    String role = r.required(node, path, "role");
    if (role != null && !ROLES.contains(role)) {
      r.error(path + ".role", "expected user, assistant or system, but was \"" + role + "\"");
      role = null;
    }
    String content = r.required(node, path, "content");
    if (content != null) {
      in.checkRefs(path + ".content", content);
    }
    return role == null || content == null
        ? null
        : new MemoryUpdateSpec.Turn(Role.fromWire(role), content);
  }

  private static Map<String, String> facts(StageInput in, JsonNode facts) {
    Map<String, String> templates = new LinkedHashMap<>();
    if (facts == null || facts.isNull()) {
      return templates;
    }
    if (!facts.isObject() || facts.isEmpty()) {
      in.r().error(in.at("facts"), "expected a mapping of fact keys to text templates");
      return null;
    }
    boolean ok = true;
    for (Map.Entry<String, JsonNode> f : facts.properties()) {
      if (!f.getValue().isTextual()) {
        in.r().error(in.at("facts." + f.getKey()), "expected a text template");
        ok = false;
      } else {
        in.checkRefs(in.at("facts." + f.getKey()), f.getValue().asText());
        templates.put(f.getKey(), f.getValue().asText());
      }
    }
    return ok ? templates : null;
  }
}
