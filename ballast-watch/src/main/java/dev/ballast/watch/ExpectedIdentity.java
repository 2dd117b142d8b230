package dev.ballast.watch;

import java.util.Set;

/**
 * What a deployment is expected to answer as: its model id and, when non-empty, the set of
 * acceptable {@code system_fingerprint}s. An answer from anything else opens a {@code
 * model_changed} (or {@code fingerprint_changed}) alert at once, without warm-up.
 *
 * @param model the expected answering model id, or null to expect none in particular
 * @param fingerprints the acceptable fingerprints; empty accepts any
 */
public record ExpectedIdentity(String model, Set<String> fingerprints) {
  public ExpectedIdentity {
    fingerprints = fingerprints == null ? Set.of() : Set.copyOf(fingerprints);
  }
}
