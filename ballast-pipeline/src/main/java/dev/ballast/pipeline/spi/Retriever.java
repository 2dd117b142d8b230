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
   * @throws dev.ballast.core.state.CollectionAccessDeniedException when the query's tenant may not
   *     read the collection
   * @throws dev.ballast.core.state.EmbeddingModelMismatchException when {@code vectorModel} is not
   *     the collection's model
   */
  Result search(Query query);

  /**
   * @param vector the query's embedding, or null to embed {@code text} with the collection's model
   * @param vectorModel the model that produced {@code vector}, or null
   * @param mode {@code vector}, {@code keyword} or {@code hybrid}
   * @param tenant the run's tenant, whose right to read the collection the retriever checks; null
   *     where no tenant is known (a replay reads the journal, not a collection)
   */
  record Query(
      String collection,
      long generation,
      String text,
      float[] vector,
      String vectorModel,
      int k,
      String mode,
      String tenant) {

    /** A query of no particular tenant. */
    public Query(
        String collection,
        long generation,
        String text,
        float[] vector,
        String vectorModel,
        int k,
        String mode) {
      this(collection, generation, text, vector, vectorModel, k, mode, null);
    }
  }

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
