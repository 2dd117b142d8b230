package dev.ballast.retrieval;

import dev.ballast.core.BallastException;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.IngestResult;
import dev.ballast.core.state.NewChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chunks documents, embeds what is new and commits them to a collection as one generation
 * (docs/state.md, invariants 1, 3, 4). For each document it asks the store which content hashes the
 * document holds live and embeds only the chunks whose hash is not among them; the others go to the
 * store without a vector and keep theirs. Chunks of several documents are embedded together in
 * batches of at least {@link #EMBED_BATCH} texts. Thread-safe (it holds no mutable state); the
 * store serialises commits to one collection.
 */
public final class Ingestor {
  static final int EMBED_BATCH = 128;

  private final DocumentStore store;
  private final TextEmbedder embedder;
  private final Chunker chunker;

  public Ingestor(DocumentStore store, TextEmbedder embedder, Chunker chunker) {
    this.store = Objects.requireNonNull(store, "store");
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.chunker = Objects.requireNonNull(chunker, "chunker");
  }

  /**
   * Ingests files and directories (see {@link DocumentReader} for ids and which files are read).
   *
   * @throws UnsupportedDocumentException naming a file of an unsupported type; nothing is committed
   */
  public IngestReport ingestPaths(String collection, List<Path> paths, IngestListener listener) {
    return ingest(collection, DocumentReader.read(paths), List.of(), listener);
  }

  /**
   * Commits the next generation of {@code collection} (created with the embedder's model when
   * missing): each document's chunks become exactly its new chunk list, each id in {@code removed}
   * retires all its chunks.
   *
   * @throws dev.ballast.core.state.EmbeddingModelMismatchException when the collection holds
   *     vectors of another model
   * @throws IllegalArgumentException when a document id appears twice
   */
  public IngestReport ingest(
      String collection,
      List<SourceDocument> documents,
      List<String> removed,
      IngestListener listener) {
    requireDistinct(documents);
    store.ensureCollection(collection, embedder.model(), embedder.dimension());
    List<DocumentChunks> ready = new ArrayList<>(documents.size());
    Batch batch = new Batch();
    int[] counts = new int[2]; // embedded, reused
    for (SourceDocument document : documents) {
      DocumentChunks chunks = chunker.chunk(document);
      batch.add(chunks, store.liveContentHashes(collection, document.id()));
      if (batch.texts.size() >= EMBED_BATCH) {
        batch.embedInto(ready, counts);
        listener.progress(
            new IngestListener.Progress(ready.size(), documents.size(), counts[0], counts[1]));
        batch = new Batch();
      }
    }
    batch.embedInto(ready, counts);
    listener.progress(
        new IngestListener.Progress(ready.size(), documents.size(), counts[0], counts[1]));
    IngestResult result = store.commit(collection, embedder.model(), ready, removed);
    return new IngestReport(result, counts[0], counts[1]);
  }

  private static void requireDistinct(List<SourceDocument> documents) {
    Set<String> ids = new HashSet<>();
    for (SourceDocument d : documents) {
      if (!ids.add(d.id())) {
        throw new IllegalArgumentException("document \"" + d.id() + "\" appears twice");
      }
    }
  }

  /** Documents waiting for their new chunks to be embedded together. */
  private final class Batch {
    private final List<DocumentChunks> documents = new ArrayList<>();
    private final List<Set<String>> live = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    void add(DocumentChunks document, Set<String> liveHashes) {
      documents.add(document);
      live.add(liveHashes);
      for (NewChunk chunk : document.chunks()) {
        if (!liveHashes.contains(chunk.contentHash())) {
          texts.add(chunk.text());
        }
      }
    }

    void embedInto(List<DocumentChunks> out, int[] counts) {
      List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embed(texts);
      if (vectors.size() != texts.size()) {
        throw new BallastException(
            "embedder "
                + embedder.model()
                + " returned "
                + vectors.size()
                + " vectors for "
                + texts.size()
                + " texts");
      }
      int next = 0;
      for (int d = 0; d < documents.size(); d++) {
        DocumentChunks doc = documents.get(d);
        List<NewChunk> chunks = new ArrayList<>(doc.chunks().size());
        for (NewChunk c : doc.chunks()) {
          boolean reused = live.get(d).contains(c.contentHash());
          float[] vector = reused ? null : vectors.get(next++);
          counts[reused ? 1 : 0]++;
          chunks.add(new NewChunk(c.ordinal(), c.text(), c.contentHash(), c.headings(), vector));
        }
        out.add(
            new DocumentChunks(
                doc.documentId(), doc.title(), doc.contentType(), doc.sourceHash(), chunks));
      }
    }
  }
}
