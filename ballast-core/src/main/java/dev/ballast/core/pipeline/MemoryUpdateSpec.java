package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code memory_update}: appends turns to the run's pinned conversation and sets facts.
 *
 * @param conversation the conversation template (it may use only the input)
 * @param append turns whose content is a template; may be empty when there are facts
 * @param facts fact keys to text templates, in the order written; may be empty when there are turns
 */
public record MemoryUpdateSpec(String conversation, List<Turn> append, Map<String, String> facts)
    implements StageSpec {
  public static final String TYPE = "memory_update";

  /** A turn to append; {@code content} is a template. */
  public record Turn(Role role, String content) {
    public Turn {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
    }
  }

  public MemoryUpdateSpec {
    Objects.requireNonNull(conversation, "conversation is required");
    append = append == null ? List.of() : List.copyOf(append);
    facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    if (append.isEmpty() && facts.isEmpty()) {
      throw new IllegalArgumentException("expected append (turns) or facts, or both");
    }
  }

  static MemoryUpdateSpec fromParams(ObjectNode p) {
    List<Turn> turns = new ArrayList<>();
    for (JsonNode t : p.path("append")) {
      turns.add(new Turn(Role.fromWire(t.path("role").asText()), t.path("content").asText()));
    }
    Map<String, String> facts = new LinkedHashMap<>();
    if (p.path("facts").isObject()) {
      p.get("facts").properties().forEach(f -> facts.put(f.getKey(), f.getValue().asText()));
    }
    return new MemoryUpdateSpec(Params.required(p, "conversation"), turns, facts);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("conversation", conversation);
    if (!append.isEmpty()) {
      ArrayNode turns = p.putArray("append");
      for (Turn t : append) {
        turns.addObject().put("role", t.role().wireName()).put("content", t.content());
      }
    }
    if (!facts.isEmpty()) {
      ObjectNode f = p.putObject("facts");
      facts.forEach(f::put);
    }
    return p;
  }

  @Override
  public boolean effectful() {
    return true;
  }
}
