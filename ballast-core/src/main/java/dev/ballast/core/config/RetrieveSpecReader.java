package dev.ballast.core.config;

import dev.ballast.core.pipeline.EmbedSpec;
import dev.ballast.core.pipeline.RetrievalMode;
import dev.ballast.core.pipeline.RetrieveSpec;
import java.util.Set;

/** Reads a {@code retrieve} stage: a collection, a query template, k, a mode, a vector source. */
final class RetrieveSpecReader {
  static final Set<String> KEYS = Set.of("collection", "query", "k", "mode", "vector_from");

  private RetrieveSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static RetrieveSpec read(StageInput in) {
    ConfigReader r = in.r();
    String collection = r.required(in.node(), in.path(), "collection");
    if (collection != null && !collection.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      r.error(in.at("collection"), "must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
      collection = null;
    }
    String query = r.required(in.node(), in.path(), "query");
    if (query != null) {
      in.checkRefs(in.at("query"), query);
    }
    int k = (int) r.integer(in.node(), in.path(), "k", RetrieveSpec.DEFAULT_K, 1, 100);
    RetrievalMode mode = null;
    try {
      mode =
          RetrievalMode.fromWire(
              r.string(in.node(), in.path(), "mode", RetrieveSpec.DEFAULT_MODE.wireName(), false));
    } catch (IllegalArgumentException e) {
      r.error(in.at("mode"), e.getMessage());
    }
    String from = r.string(in.node(), in.path(), "vector_from", null, false);
    if (from != null && !in.requireEarlier(in.at("vector_from"), from, EmbedSpec.TYPE)) {
      return null;
    }
    return collection == null || query == null || mode == null
        ? null
        : new RetrieveSpec(collection, query, k, mode, from);
  }
}
