package dev.ballast.simulator;

import dev.ballast.core.BallastException;

/** A simulator spec that cannot be parsed; names the offending directive. */
public final class InvalidSpecException extends BallastException {
  private final String directive;

  public InvalidSpecException(String directive, String message) {
    super(message);
    this.directive = directive;
  }

  /** The directive (as written) that was rejected. */
  public String directive() {
    return directive;
  }
}
