package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.TransformSpec;
import java.util.Set;

/** Reads a {@code transform} stage: the output template. */
final class TransformSpecReader {
  static final Set<String> KEYS = Set.of("output");

  private TransformSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static TransformSpec read(StageInput in) {
    JsonNode output = in.node().get("output");
    if (output == null || output.isNull()) {
      in.r().error(in.at("output"), "is required");
      return null;
    }
    in.checkRefs(in.at("output"), output.toString());
    return new TransformSpec(output);
  }
}
