package dev.ballast.core.journal;

import java.util.List;

/**
 * An answer whose model or system fingerprint is not what its deployment's {@code expect} pins, as
 * journaled on the attempt's {@code ProviderAttempt} ({@code identityMismatch}). Every such answer
 * carries one, whether the deployment records mismatches or fails them: a watcher raises its {@code
 * model_changed} alert from the first.
 *
 * @param changed what differs: {@code model}, {@code system_fingerprint} or both
 * @param model the model the answer named (null when it named none)
 * @param systemFingerprint the fingerprint the answer carried, or null
 * @param expectedModel the pinned model, or null when only fingerprints are pinned
 * @param expectedFingerprints the pinned fingerprints, empty when only the model is pinned
 * @param onMismatch {@code record} (the answer was returned) or {@code fail} (the attempt failed as
 *     {@code model_changed})
 */
public record IdentityMismatch(
    List<String> changed,
    String model,
    String systemFingerprint,
    String expectedModel,
    List<String> expectedFingerprints,
    String onMismatch) {
  /** The {@link #changed} entry for the model. */
  public static final String MODEL = "model";

  /** The {@link #changed} entry for the system fingerprint. */
  public static final String SYSTEM_FINGERPRINT = "system_fingerprint";

  public IdentityMismatch {
    changed = List.copyOf(changed);
    expectedFingerprints =
        expectedFingerprints == null ? List.of() : List.copyOf(expectedFingerprints);
  }

  /** A short sentence for error messages, e.g. {@code model gpt-4o-2024-11-20, expected ...}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (changed.contains(MODEL)) {
      s.append("answered by model \"")
          .append(model)
          .append("\", expected \"")
          .append(expectedModel)
          .append('"');
    }
    if (changed.contains(SYSTEM_FINGERPRINT)) {
      s.append(s.isEmpty() ? "" : "; ")
          .append("system_fingerprint \"")
          .append(systemFingerprint)
          .append("\", expected one of ")
          .append(expectedFingerprints);
    }
    return s.toString();
  }
}
