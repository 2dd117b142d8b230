package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@code assemble_context}: packs the prompt, the conversation's memory and retrieved chunks into
 * the model group's context window, less what is reserved for the answer.
 *
 * @param chunks an earlier {@code retrieve} stage, or null
 * @param conversation the conversation template (it may use only the input), or null when the stage
 *     reads no memory
 * @param contextWindow the group's, resolved when the configuration is read
 * @param largerContext the group a prompt that does not fit is routed to, or null
 * @param largerContextWindow that group's context window; 0 without one
 */
public record AssembleContextSpec(
    String group,
    PromptRef prompt,
    String chunks,
    String conversation,
    int reserveOutput,
    int contextWindow,
    String largerContext,
    int largerContextWindow)
    implements StageSpec {
  public static final String TYPE = "assemble_context";
  public static final int DEFAULT_RESERVE_OUTPUT = 1024;

  public AssembleContextSpec {
    Objects.requireNonNull(group, "group is required");
    Objects.requireNonNull(prompt, "prompt is required");
  }

  /** Whether the stage reads the conversation's memory. */
  public boolean readsMemory() {
    return conversation != null;
  }

  static AssembleContextSpec fromParams(ObjectNode p) {
    PromptRef prompt = PromptRef.fromParams(p);
    if (prompt == null) {
      throw new IllegalArgumentException("prompt is required");
    }
    return new AssembleContextSpec(
        Params.required(p, "group"),
        prompt,
        Params.text(p, "chunks"),
        Params.text(p, "conversation"),
        p.path("reserve_output").asInt(),
        p.path("context_window").asInt(),
        Params.text(p, "larger_context"),
        p.path("larger_context_window").asInt(0));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("group", group);
    prompt.putInto(p);
    Params.put(p, "chunks", chunks);
    Params.put(p, "conversation", conversation);
    p.put("reserve_output", reserveOutput);
    p.put("context_window", contextWindow);
    if (largerContext != null) {
      p.put("larger_context", largerContext);
      p.put("larger_context_window", largerContextWindow);
    }
    return p;
  }
}
