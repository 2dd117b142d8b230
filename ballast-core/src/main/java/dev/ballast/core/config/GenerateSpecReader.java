package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.GenerateSpec;
import dev.ballast.core.pipeline.PromptRef;
import java.util.Set;

/** Reads a {@code generate} stage: a group and a prompt, or the context of an earlier stage. */
final class GenerateSpecReader {
  static final Set<String> KEYS =
      Set.of("group", "prompt", "context", "schema", "max_tokens", "temperature");

  private GenerateSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static GenerateSpec read(StageInput in) {
    ConfigReader r = in.r();
    JsonNode node = in.node();
    String group = in.group();
    PromptRef prompt = null;
    String context = null;
    boolean ok;
    if (node.has("context")) {
      if (node.has("prompt")) {
        r.error(in.path(), "give either prompt or context, not both");
      }
      context = r.string(node, in.path(), "context", null, false);
      ok =
          context != null && in.requireEarlier(in.at("context"), context, AssembleContextSpec.TYPE);
    } else {
      prompt = in.prompt(true);
      if (prompt != null) {
        in.checkRefs(in.at("prompt"), prompt.user());
        if (prompt.system() != null) {
          in.checkRefs(in.at("prompt"), prompt.system());
        }
      }
      ok = prompt != null;
    }
    JsonNode schema = in.schema("schema");
    Integer maxTokens =
        node.hasNonNull("max_tokens")
            ? (int) r.integer(node, in.path(), "max_tokens", 0, 1, 10_000_000)
            : null;
    Double temperature =
        node.hasNonNull("temperature") ? r.decimal(node, in.path(), "temperature", 0) : null;
    return ok && group != null
        ? new GenerateSpec(group, prompt, context, schema, maxTokens, temperature)
        : null;
  }
}
