package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.EmbeddingModelMismatchException;
import dev.ballast.core.state.UnknownCollectionException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's indexes, one {@link CollectionIndex} per collection, created on first search and built
 * from the store. Thread-safe.
 */
public final class Indexes implements AutoCloseable {
  private final DocumentStore store;
  private final Map<String, TextEmbedder> embedders;
  private final Map<String, CollectionIndex> indexes = new ConcurrentHashMap<>();

  /**
   * @param embedders the query embedders this node has, each used for the collections whose model
   *     it is, when a search gives text but no vector
   */
  public Indexes(DocumentStore store, List<TextEmbedder> embedders) {
    this.store = store;
    Map<String, TextEmbedder> byModel = new ConcurrentHashMap<>();
    for (TextEmbedder e : embedders) {
      byModel.put(e.model(), e);
    }
    this.embedders = Map.copyOf(byModel);
  }

  /**
   * @throws UnknownCollectionException when the store has no such collection
   */
  public CollectionIndex index(String collection) {
    return indexes.computeIfAbsent(collection, name -> new CollectionIndex(store, name));
  }

  /**
   * Searches {@code collection} as of {@code generation} (see {@link CollectionIndex#search}). When
   * the mode needs a vector and none is given, the query text is embedded with the collection's own
   * model.
   *
   * @param vectorModel the model that produced {@code vector}, or null when none is given (or it is
   *     known to be the collection's)
   * @throws UnknownCollectionException when the collection does not exist
   * @throws EmbeddingModelMismatchException when {@code vectorModel} is not the collection's model
   * @throws GenerationNotCommittedException when the generation is past the collection's last
   * @throws IllegalArgumentException when no vector is given and this node has no embedder of the
   *     collection's model
   */
  public SearchResult search(
      String collection,
      long generation,
      String text,
      float[] vector,
      String vectorModel,
      int k,
      SearchMode mode) {
    CollectionInfo info =
        store.collection(collection).orElseThrow(() -> new UnknownCollectionException(collection));
    if (vectorModel != null && !sameModel(vectorModel, info.embeddingModel())) {
      int given = vector == null ? 0 : vector.length;
      throw new EmbeddingModelMismatchException(
          collection, info.embeddingModel(), info.dimension(), vectorModel, given);
    }
    float[] query = vector;
    if (query == null && mode != SearchMode.KEYWORD && text != null && !text.isBlank()) {
      query = embedder(info).embed(List.of(text)).getFirst();
    }
    return index(collection).search(generation, text, query, k, mode);
  }

  /**
   * Whether a model name a provider answered with names the collection's model: exactly, or with or
   * without a provider prefix ({@code local/all-minilm-l6-v2} and {@code all-minilm-l6-v2}).
   */
  static boolean sameModel(String given, String collectionModel) {
    return given.equals(collectionModel)
        || collectionModel.endsWith("/" + given)
        || given.endsWith("/" + collectionModel);
  }

  private TextEmbedder embedder(CollectionInfo info) {
    TextEmbedder e = embedders.get(info.embeddingModel());
    if (e == null) {
      throw new IllegalArgumentException(
          "collection \""
              + info.name()
              + "\" holds vectors of model \""
              + info.embeddingModel()
              + "\", and this node has no embedder of that model to embed the query; pass a"
              + " vector or use keyword mode");
    }
    return e;
  }

  @Override
  public void close() throws IOException {
    for (CollectionIndex index : indexes.values()) {
      index.close();
    }
    indexes.clear();
  }
}
