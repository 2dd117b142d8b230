package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code retrieve}: searches a collection as of the generation the run pinned.
 *
 * @param query a template rendered against the run
 * @param k how many chunks, 1 to 100
 * @param vectorFrom an earlier {@code embed} stage whose vector the search uses, or null
 */
public record RetrieveSpec(
    String collection, String query, int k, RetrievalMode mode, String vectorFrom)
    implements StageSpec {
  public static final String TYPE = "retrieve";
  public static final int DEFAULT_K = 5;
  public static final RetrievalMode DEFAULT_MODE = RetrievalMode.HYBRID;

  public RetrieveSpec {
    Objects.requireNonNull(collection, "collection is required");
    Objects.requireNonNull(query, "query is required");
    Objects.requireNonNull(mode, "mode");
  }

  static RetrieveSpec fromParams(ObjectNode p) {
    return new RetrieveSpec(
        Params.required(p, "collection"),
        Params.required(p, "query"),
        p.path("k").asInt(DEFAULT_K),
        p.hasNonNull("mode") ? RetrievalMode.fromWire(p.get("mode").asText()) : DEFAULT_MODE,
        Params.text(p, "vector_from"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("collection", collection);
    p.put("query", query);
    p.put("k", k);
    p.put("mode", mode.wireName());
    Params.put(p, "vector_from", vectorFrom);
    return p;
  }
}
