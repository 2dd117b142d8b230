package dev.ballast.core.state;

import dev.ballast.core.BallastException;

/** A compare-and-set memory write expected a version that is no longer current. */
public final class VersionConflictException extends BallastException {
  private final String conversation;
  private final long expected;
  private final long actual;

  public VersionConflictException(String conversation, long expected, long actual) {
    super(
        "conversation \""
            + conversation
            + "\" is at version "
            + actual
            + ", but the write expected version "
            + expected);
    this.conversation = conversation;
    this.expected = expected;
    this.actual = actual;
  }

  public String conversation() {
    return conversation;
  }

  public long expected() {
    return expected;
  }

  public long actual() {
    return actual;
  }
}
