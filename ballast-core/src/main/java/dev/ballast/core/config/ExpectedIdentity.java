package dev.ballast.core.config;

import dev.ballast.core.journal.IdentityMismatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code deployments.NAME.expect}: the model (and optionally the system fingerprints) a deployment
 * is pinned to. Every answer is compared with it; a difference is journaled on the attempt as an
 * {@link IdentityMismatch} and, with {@link OnMismatch#FAIL}, fails the attempt as {@code
 * model_changed}. Immutable and thread-safe.
 *
 * @param model the model id the answer must name exactly (e.g. {@code gpt-4o-2024-08-06}), or null
 *     to pin fingerprints only
 * @param fingerprints the {@code system_fingerprint} values accepted; empty to accept any. An
 *     answer without a fingerprint is not a mismatch: providers omit it for some models, and
 *     Anthropic's wire has none
 * @param onMismatch what a mismatch does besides being journaled; {@link OnMismatch#RECORD} by
 *     default
 */
public record ExpectedIdentity(String model, List<String> fingerprints, OnMismatch onMismatch) {

  /** Nothing pinned: no answer mismatches. */
  public static final ExpectedIdentity NONE =
      new ExpectedIdentity(null, List.of(), OnMismatch.RECORD);

  /** What a mismatch does. */
  public enum OnMismatch {
    /** The answer is returned; the mismatch is journaled. */
    RECORD,
    /** The attempt fails as {@code model_changed} and the call fails over. */
    FAIL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ExpectedIdentity {
    fingerprints = List.copyOf(fingerprints);
  }

  /** Whether anything is pinned. */
  public boolean isEmpty() {
    return model == null && fingerprints.isEmpty();
  }

  /**
   * Compares one answer's identity with the pin.
   *
   * @param answeredModel the model the answer named, or null
   * @param systemFingerprint the answer's fingerprint, or null
   * @return the mismatch, empty when the answer is what was expected
   */
  public Optional<IdentityMismatch> mismatch(String answeredModel, String systemFingerprint) {
    List<String> changed = new ArrayList<>(2);
    if (model != null && !model.equals(answeredModel)) {
      changed.add(IdentityMismatch.MODEL);
    }
    if (!fingerprints.isEmpty()
        && systemFingerprint != null
        && !fingerprints.contains(systemFingerprint)) {
      changed.add(IdentityMismatch.SYSTEM_FINGERPRINT);
    }
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new IdentityMismatch(
            changed, answeredModel, systemFingerprint, model, fingerprints, onMismatch.wireName()));
  }
}
