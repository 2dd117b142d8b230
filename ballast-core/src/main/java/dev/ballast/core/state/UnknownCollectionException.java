package dev.ballast.core.state;

import dev.ballast.core.BallastException;

/** A read or pin named a collection that does not exist. */
public final class UnknownCollectionException extends BallastException {
  private final String collection;

  public UnknownCollectionException(String collection) {
    super("unknown collection \"" + collection + "\"");
    this.collection = collection;
  }

  public String collection() {
    return collection;
  }
}
