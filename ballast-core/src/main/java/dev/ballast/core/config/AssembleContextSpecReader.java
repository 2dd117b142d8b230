package dev.ballast.core.config;

import dev.ballast.core.pipeline.AssembleContextSpec;
import dev.ballast.core.pipeline.PromptRef;
import dev.ballast.core.pipeline.RetrieveSpec;
import java.util.Set;

/**
 * Reads an {@code assemble_context} stage: a group (whose context window, and larger-context group,
 * are resolved here), a prompt, the chunks of an earlier {@code retrieve} stage, the conversation
 * whose memory it reads, and what it reserves for the answer.
 */
final class AssembleContextSpecReader {
  static final Set<String> KEYS =
      Set.of("group", "prompt", "chunks", "conversation", "reserve_output", "question");

  private AssembleContextSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static AssembleContextSpec read(StageInput in) {
    ConfigReader r = in.r();
    String groupName = in.group();
    GroupConfig group = groupName == null ? null : in.groups().get(groupName);
    PromptRef prompt = in.prompt(false);
    if (prompt != null) {
      if (prompt.system() != null) {
        in.checkRefs(in.at("prompt"), prompt.system());
      }
      in.checkRefs(in.at("prompt"), prompt.user());
    }
    String chunks = r.string(in.node(), in.path(), "chunks", null, false);
    boolean ok = chunks == null || in.requireEarlier(in.at("chunks"), chunks, RetrieveSpec.TYPE);
    String conversation = in.conversation();
    if (group == null) {
      return null;
    }
    int reserve =
        (int)
            r.integer(
                in.node(),
                in.path(),
                "reserve_output",
                AssembleContextSpec.DEFAULT_RESERVE_OUTPUT,
                0,
                1_000_000);
    if (reserve >= group.contextWindow()) {
      r.error(
          in.at("reserve_output"),
          "must be less than the context window of group "
              + group.name()
              + " ("
              + group.contextWindow()
              + "), but was "
              + reserve);
      return null;
    }
    if (prompt == null || !ok) {
      return null;
    }
    GroupConfig larger =
        group.largerContext() == null ? null : in.groups().get(group.largerContext());
    return new AssembleContextSpec(
        group.name(),
        prompt,
        chunks,
        conversation,
        reserve,
        group.contextWindow(),
        larger == null ? null : larger.name(),
        larger == null ? 0 : larger.contextWindow());
  }
}
