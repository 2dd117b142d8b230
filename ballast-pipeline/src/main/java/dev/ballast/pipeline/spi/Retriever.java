package dev.ballast.pipeline.spi;

import java.util.List;

/**
 * How {@code retrieve} stages search a collection as of a pinned generation. The implementation
 * answers with exactly the chunks live at that generation, catching up first when its index is
 * behind (docs/state.md, invariant 5), and embeds the query with the collection's own model when no
 * vector is given. Implementations are thread-safe.
 */
public interface Retriever {

  /**
   * @throws dev.ballast.core.state.UnknownCollectionException when the collection does not exist
   * @throws dev.ballast.core.state.EmbeddingModelMismatchException when {@code vectorModel} is not
   *     the collection's model
   */
  Result search(Query query);

  /**
   * @param vector the query's embedding, or null to embed {@code text} with the collection's model
   * @param vectorModel the model that produced {@code vector}, or null
   * @param mode {@code vector}, {@code keyword} or {@code hybrid}
   */
  record Query(
      String collection,
      long generation,
      String text,
      float[] vector,
      String vectorModel,
      int k,
      String mode) {}

  record Hit(
      String chunkId,
      String documentId,
      String contentHash,
      double score,
      String text,
      String title,
      List<String> headings) {}

  /**
   * @param indexGeneration the generation the node's index had reached when it answered
   */
  record Result(List<Hit> hits, long indexGeneration) {}
}
