package dev.ballast.retrieval;

import dev.ballast.core.BallastException;

/**
 * The minimum context, the system prompt and the question, does not fit the budget. The caller
 * routes to a larger-context group or fails; retrying with the same model cannot help.
 */
public final class ContextTooLargeException extends BallastException {
  private final String model;
  private final int needed;
  private final int available;

  public ContextTooLargeException(String model, int needed, int available) {
    super(
        "the system prompt and the question alone need "
            + needed
            + " tokens for model \""
            + model
            + "\", but the budget is "
            + available
            + " tokens; route to a model with a larger context window or shorten them");
    this.model = model;
    this.needed = needed;
    this.available = available;
  }

  public String model() {
    return model;
  }

  /** Tokens the system prompt and question take, with message framing. */
  public int needed() {
    return needed;
  }

  /** The budget: the context window minus the reserved output. */
  public int available() {
    return available;
  }
}
