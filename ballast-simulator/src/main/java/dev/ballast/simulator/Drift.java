package dev.ballast.simulator;

/** A way the simulated provider's answer deviates from the documented wire format. */
public enum Drift {
  /** JSON output wrapped in a Markdown {@code ```json} fence. */
  FENCED_JSON("fenced_json"),
  /** The message text sent under another field name ({@code text} instead of {@code content}). */
  RENAMED_FIELDS("renamed_fields"),
  /** Tool-call arguments sent in the other shape (an object for OpenAI, a string elsewhere). */
  TOOL_ARGS_OBJECT("tool_args_object"),
  /** The answering model name differs from the requested one (a dated suffix). */
  MODEL("model"),
  /** The {@code system_fingerprint} changes on every answer. */
  FINGERPRINT("fingerprint");

  private final String specName;

  Drift(String specName) {
    this.specName = specName;
  }

  /** The name used in a spec, e.g. {@code fenced_json}. */
  public String specName() {
    return specName;
  }
}
