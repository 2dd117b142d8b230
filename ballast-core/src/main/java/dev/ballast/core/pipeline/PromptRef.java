package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A prompt as a stage uses it: resolved from {@code prompts} when the configuration is read, so its
 * text is part of the stage and editing a prompt changes the pipeline's version.
 *
 * @param name the prompt's name in {@code prompts}; null when it was set in code
 * @param version the prompt's content version; null when set in code
 * @param system the system template, or null
 * @param user the user template
 */
public record PromptRef(String name, String version, String system, String user) {
  public PromptRef {
    Objects.requireNonNull(user, "user");
  }

  /** The prompt of canonical params, or null when they hold no user template. */
  static PromptRef fromParams(ObjectNode p) {
    String user = Params.text(p, "user_template");
    return user == null
        ? null
        : new PromptRef(
            Params.text(p, "prompt"),
            Params.text(p, "prompt_version"),
            Params.text(p, "system_template"),
            user);
  }

  void putInto(ObjectNode p) {
    Params.put(p, "prompt", name);
    Params.put(p, "prompt_version", version);
    Params.put(p, "system_template", system);
    p.put("user_template", user);
  }
}
