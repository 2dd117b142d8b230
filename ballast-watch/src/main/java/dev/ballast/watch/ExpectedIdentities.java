package dev.ballast.watch;

import java.util.Optional;

/**
 * The identity each deployment is expected to answer as, e.g. from a deployment's {@code expect:}
 * configuration. Called on the journal's listener thread for every answer: it must be quick and
 * must not block. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ExpectedIdentities {
  /** No deployment expects anything: identity changes are learnt from traffic alone. */
  ExpectedIdentities NONE = deployment -> Optional.empty();

  Optional<ExpectedIdentity> expected(String deployment);
}
