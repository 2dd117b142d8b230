package dev.ballast.core.state;

import dev.ballast.core.BallastException;

/** A mutation that does not apply to memory as it stands, e.g. replacing a fact that is absent. */
public final class InvalidMutationException extends BallastException {
  public InvalidMutationException(String message) {
    super(message);
  }
}
