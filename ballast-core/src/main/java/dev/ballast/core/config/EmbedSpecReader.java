package dev.ballast.core.config;

import dev.ballast.core.pipeline.EmbedSpec;
import java.util.Set;

/** Reads an {@code embed} stage: a group and the text template to embed. */
final class EmbedSpecReader {
  static final Set<String> KEYS = Set.of("group", "text");

  private EmbedSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static EmbedSpec read(StageInput in) {
    String group = in.group();
    String text = in.r().required(in.node(), in.path(), "text");
    if (text != null) {
      in.checkRefs(in.at("text"), text);
    }
    return group == null || text == null ? null : new EmbedSpec(group, text);
  }
}
