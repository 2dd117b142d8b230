package dev.ballast.core.state;

import dev.ballast.core.BallastException;

/** A collection's vectors come from one model; this write used another (or another dimension). */
public final class EmbeddingModelMismatchException extends BallastException {
  private final String collection;
  private final String collectionModel;
  private final String requestedModel;

  public EmbeddingModelMismatchException(
      String collection,
      String collectionModel,
      int collectionDimension,
      String requestedModel,
      int requestedDimension) {
    super(
        "collection \""
            + collection
            + "\" holds vectors of model \""
            + collectionModel
            + "\" (dimension "
            + collectionDimension
            + "); refusing vectors of model \""
            + requestedModel
            + "\" (dimension "
            + requestedDimension
            + "): mixing models in one collection would make its scores meaningless");
    this.collection = collection;
    this.collectionModel = collectionModel;
    this.requestedModel = requestedModel;
  }

  public String collection() {
    return collection;
  }

  public String collectionModel() {
    return collectionModel;
  }

  public String requestedModel() {
    return requestedModel;
  }
}
