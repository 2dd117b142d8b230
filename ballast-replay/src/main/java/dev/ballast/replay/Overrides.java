package dev.ballast.replay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a what-if replay changes. The overridden calls go live to the configured providers;
 * everything else is fed from the journal. Webhooks ({@code http_action}) are never sent again: a
 * what-if replays their recorded answers, so a receiver is never touched.
 *
 * @param group the model group every {@code generate} stage (or a gateway call) uses instead of its
 *     own, or null
 * @param prompts stage name to the name of a configured prompt the stage renders instead of its
 *     own; empty for none
 * @param fromStage the first stage whose model calls go live (earlier stages are replayed), or null
 */
public record Overrides(String group, Map<String, String> prompts, String fromStage) {
  public static final Overrides NONE = new Overrides(null, Map.of(), null);

  public Overrides {
    group = blankToNull(group, "group");
    fromStage = blankToNull(fromStage, "fromStage");
    prompts = prompts == null ? Map.of() : Map.copyOf(prompts);
    prompts.forEach(
        (stage, prompt) -> {
          if (stage.isBlank() || prompt.isBlank()) {
            throw new IllegalArgumentException(
                "prompt overrides must be STAGE=PROMPT, but was \"" + stage + "=" + prompt + "\"");
          }
        });
  }

  public boolean isEmpty() {
    return group == null && prompts.isEmpty() && fromStage == null;
  }

  /** The mode a replay with these overrides runs in. */
  public ReplayMode mode() {
    return isEmpty() ? ReplayMode.DETERMINISTIC : ReplayMode.WHAT_IF;
  }

  /** As journaled in {@code ReplayOf}: {@code group}, {@code prompt.STAGE}, {@code from_stage}. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    if (group != null) {
      m.put("group", group);
    }
    prompts.forEach((stage, prompt) -> m.put("prompt." + stage, prompt));
    if (fromStage != null) {
      m.put("from_stage", fromStage);
    }
    return m;
  }

  private static String blankToNull(String value, String name) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank when given");
    }
    return value;
  }
}
