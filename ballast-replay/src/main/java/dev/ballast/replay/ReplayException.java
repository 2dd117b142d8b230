package dev.ballast.replay;

import dev.ballast.core.BallastException;

/** A replay was asked for something it cannot do: an unknown run, a bad override. */
public final class ReplayException extends BallastException {
  /** Why, for a caller choosing an HTTP status or an exit code. */
  public enum Reason {
    UNKNOWN_RUN,
    BAD_OVERRIDE
  }

  private final Reason reason;

  public ReplayException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
