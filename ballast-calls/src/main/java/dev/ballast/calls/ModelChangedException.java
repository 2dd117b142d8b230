package dev.ballast.calls;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.IdentityMismatch;

/**
 * The answer came from another model or fingerprint than its deployment's {@code expect} pins, and
 * the deployment says {@code on_mismatch: fail}: the attempt fails as {@link
 * ErrorClass#MODEL_CHANGED} and the call fails over to the next deployment.
 */
public final class ModelChangedException extends ProviderException {
  private final transient IdentityMismatch mismatch;

  public ModelChangedException(String deployment, IdentityMismatch mismatch) {
    super(ErrorClass.MODEL_CHANGED, "deployment \"" + deployment + "\" " + mismatch.describe());
    this.mismatch = mismatch;
  }

  /** What differed from the pin. */
  public IdentityMismatch mismatch() {
    return mismatch;
  }
}
