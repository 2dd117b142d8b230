package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.ValidateSpec;
import java.util.Set;

/** Reads a {@code validate} stage: an earlier stage and a JSON Schema. */
final class ValidateSpecReader {
  static final Set<String> KEYS = Set.of("of", "schema");

  private ValidateSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static ValidateSpec read(StageInput in) {
    String of = in.r().required(in.node(), in.path(), "of");
    if (of != null && !in.earlier().containsKey(of)) {
      in.r()
          .error(
              in.at("of"), "must name an earlier stage of this pipeline, but was \"" + of + "\"");
      of = null;
    }
    JsonNode schema = null;
    if (!in.node().has("schema")) {
      in.r().error(in.at("schema"), "is required");
    } else {
      schema = in.schema("schema");
    }
    return of == null || schema == null ? null : new ValidateSpec(of, schema);
  }
}
