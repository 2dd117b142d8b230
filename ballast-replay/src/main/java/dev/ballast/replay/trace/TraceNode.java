package dev.ballast.replay.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a run's execution tree, derived from the journal: the run itself, a stage, a stage
 * attempt, a model call a stage made, one provider attempt of a call, or a fact recorded inside an
 * attempt (a retrieval, a memory read or mutation, a context assembly, an effect, a breaker
 * transition).
 *
 * @param kind {@code pipeline}, {@code call}, {@code stage}, {@code attempt}, {@code
 *     provider_attempt}, {@code retrieval}, {@code memory_read}, {@code memory_mutation}, {@code
 *     context}, {@code effect}, {@code breaker}, {@code resume}
 * @param name what an operator reads first, e.g. {@code chat gpt-4o-mini} or {@code retrieval docs}
 * @param at when the node began (the journal time of its first event)
 * @param durationMs how long it took, when the journal says; null otherwise
 * @param status how it ended: {@code succeeded}, {@code completed}, {@code ok}, an error class, or
 *     null for a fact that has no outcome
 * @param attributes the details, in a stable order, without nulls
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceNode(
    String kind,
    String name,
    Instant at,
    Double durationMs,
    String status,
    Map<String, Object> attributes,
    List<TraceNode> children) {
  public TraceNode {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    children = List.copyOf(children);
  }

  /** Every node of {@code kind} in depth-first order. */
  public List<TraceNode> findAll(String kind) {
    List<TraceNode> found = new ArrayList<>();
    collect(kind, found);
    return found;
  }

  private void collect(String kind, List<TraceNode> into) {
    if (this.kind.equals(kind)) {
      into.add(this);
    }
    children.forEach(c -> c.collect(kind, into));
  }

  /** A node under construction; attributes with a null value are left out. */
  static final class Builder {
    final String kind;
    final String name;
    final Instant at;
    Double durationMs;
    String status;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    final List<Builder> children = new ArrayList<>();

    Builder(String kind, String name, Instant at) {
      this.kind = kind;
      this.name = name;
      this.at = at;
    }

    Builder put(String key, Object value) {
      if (value != null) {
        attributes.put(key, value);
      }
      return this;
    }

    Builder child(Builder child) {
      children.add(child);
      return child;
    }

    TraceNode build() {
      return new TraceNode(
          kind,
          name,
          at,
          durationMs,
          status,
          attributes,
          children.stream().map(Builder::build).toList());
    }
  }
}
