package dev.ballast.core.state;

import dev.ballast.core.BallastException;

/**
 * A run's tenant may not read the collection a stage searches (docs/security.md): the configuration
 * check refuses such a pipeline, so this is met only when nodes disagree about the configuration or
 * a collection changed owner after the run was submitted. Never retried.
 */
public final class CollectionAccessDeniedException extends BallastException {
  private final String collection;
  private final String tenant;

  public CollectionAccessDeniedException(String collection, String tenant) {
    super("tenant " + tenant + " may not read collection \"" + collection + "\"");
    this.collection = collection;
    this.tenant = tenant;
  }

  public String collection() {
    return collection;
  }

  public String tenant() {
    return tenant;
  }
}
