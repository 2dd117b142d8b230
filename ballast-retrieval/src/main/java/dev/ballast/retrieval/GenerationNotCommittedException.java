package dev.ballast.retrieval;

import dev.ballast.core.BallastException;

/** A search was pinned to a generation the collection has not committed. */
public final class GenerationNotCommittedException extends BallastException {
  private final String collection;
  private final long requested;
  private final long committed;

  public GenerationNotCommittedException(String collection, long requested, long committed) {
    super(
        "collection \""
            + collection
            + "\" has committed generations up to "
            + committed
            + ", but the search was pinned to generation "
            + requested);
    this.collection = collection;
    this.requested = requested;
    this.committed = committed;
  }

  public String collection() {
    return collection;
  }

  public long requested() {
    return requested;
  }

  public long committed() {
    return committed;
  }
}
