package dev.ballast.core.spi;

import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Document collections, the source of truth for chunks and vectors. Every in-process index is a
 * cache of this store keyed by generation (docs/state.md).
 *
 * <p>Invariants every implementation keeps (checked by the store kit on both backends):
 *
 * <ul>
 *   <li>{@link #commit} is atomic and serialised per collection: it commits generation {@code g+1}
 *       where {@code g} was the last, or nothing.
 *   <li>A chunk row never changes after it is written, except that {@code toGeneration} is set
 *       once, to the generation that retired it. So the chunks live at any committed generation are
 *       the same on every read, forever.
 *   <li>Every committed generation has a {@link GenerationRecord} (counts and a content checksum
 *       chained over the generations before it) that never changes once written; {@link
 *       #generations} computes it from the chunk rows for generations committed before the store
 *       kept it.
 *   <li>A collection's vectors all come from the model and dimension it was created with; a commit
 *       with another is refused with {@link
 *       dev.ballast.core.state.EmbeddingModelMismatchException}.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface DocumentStore {

  /**
   * Returns the collection, creating it (at generation 0) when missing.
   *
   * @throws dev.ballast.core.state.EmbeddingModelMismatchException when it exists with another
   *     model or dimension
   */
  CollectionInfo ensureCollection(String name, String embeddingModel, int dimension);

  Optional<CollectionInfo> collection(String name);

  List<CollectionInfo> collections();

  /**
   * Commits the next generation of {@code collection}: each listed document's live chunks become
   * exactly its new chunk list (see {@link DocumentChunks}), and each document in {@code removed}
   * retires all its chunks. Documents not listed are untouched.
   *
   * @throws dev.ballast.core.state.UnknownCollectionException when the collection does not exist
   * @throws dev.ballast.core.state.EmbeddingModelMismatchException when {@code embeddingModel} or a
   *     vector's length is not the collection's
   * @throws IllegalArgumentException when a new chunk has no vector and no live chunk of its
   *     document has its content hash
   */
  IngestResult commit(
      String collection,
      String embeddingModel,
      List<DocumentChunks> documents,
      List<String> removed);

  /**
   * The content hashes of the chunks of {@code documentId} live at the collection's last
   * generation, so that an ingestion embeds only what changed; empty for an unknown document.
   */
  Set<String> liveContentHashes(String collection, String documentId);

  /**
   * Chunks that became live or retired in generations {@code (afterGeneration, upToGeneration]},
   * ordered by id, at most {@code limit} starting after {@code afterId} (null for the first page).
   * Chunks are returned with their current {@code toGeneration}; an index applies them by id.
   */
  ChunkPage changes(
      String collection, long afterGeneration, long upToGeneration, String afterId, int limit);

  /** The chunks with these ids, in no particular order; unknown ids are absent. */
  List<ChunkRecord> chunks(String collection, List<String> ids);

  /**
   * The records of the generations {@code (afterGeneration, upToGeneration]} that are committed,
   * oldest first (so {@code upToGeneration} past the last gives the records up to the last).
   *
   * @throws dev.ballast.core.state.UnknownCollectionException when the collection does not exist
   */
  List<GenerationRecord> generations(String collection, long afterGeneration, long upToGeneration);

  /**
   * The oldest generation of {@code collection} that a pipeline run that may still execute (queued,
   * running, waiting, or dead and so resumable) pinned; empty when no such run pins the collection.
   * An index must keep every generation from this one on searchable.
   */
  OptionalLong oldestPinnedGeneration(String collection);
}
