package dev.ballast.retrieval;

import dev.ballast.core.BallastException;

/**
 * A search named a generation older than this node's index keeps: its retired chunks were pruned
 * because no unfinished run pins it and it was superseded longer ago than the collection's {@code
 * index.history}.
 */
public final class GenerationPrunedException extends BallastException {
  private final String collection;
  private final long requested;
  private final long oldest;

  public GenerationPrunedException(String collection, long requested, long oldest) {
    super(
        "collection \""
            + collection
            + "\" keeps generations from "
            + oldest
            + " on searchable on this node (collections."
            + collection
            + ".index.history), but the search was pinned to generation "
            + requested);
    this.collection = collection;
    this.requested = requested;
    this.oldest = oldest;
  }

  public String collection() {
    return collection;
  }

  public long requested() {
    return requested;
  }

  public long oldest() {
    return oldest;
  }
}
