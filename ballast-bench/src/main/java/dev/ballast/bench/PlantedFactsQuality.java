package dev.ballast.bench;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.retrieval.Chunker;
import dev.ballast.retrieval.ChunkerConfig;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.Ingestor;
import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MRR@10 and recall@10 of each search mode on {@link PlantedFacts}, through the product's path: the
 * {@link Ingestor} chunks and embeds with the local model into a SQLite store, a {@link
 * CollectionIndex} with the default index settings catches up from it, and every question is
 * searched as the gateway searches (the query embedded by the same model, k = 10).
 */
final class PlantedFactsQuality {
  private PlantedFactsQuality() {}

  static final String COLLECTION = "planted";

  record Result(int documents, int chunks, int questions, Map<SearchMode, double[]> byMode) {}

  static Result measure(Path dir, LocalEmbedder embedder, int towns) throws Exception {
    PlantedFacts.Corpus corpus = PlantedFacts.of(towns);
    try (Store store = Stores.open("sqlite:", dir)) {
      DocumentStore documents = store.documents();
      new Ingestor(documents, embedder, new Chunker(new ChunkerConfig(128, 16)))
          .ingest(COLLECTION, corpus.documents(), List.of(), IngestListener.NONE);
      List<ChunkRecord> chunks = QualityBenchmark.chunks(documents, COLLECTION);
      List<QualityBenchmark.Query> queries = new ArrayList<>();
      for (PlantedFacts.Question q : corpus.questions()) {
        Set<String> relevant = new LinkedHashSet<>();
        for (ChunkRecord c : chunks) {
          if (c.documentId().equals(q.documentId())) {
            relevant.add(c.id());
          }
        }
        queries.add(new QualityBenchmark.Query(q.text(), relevant));
      }
      Map<SearchMode, double[]> byMode = new EnumMap<>(SearchMode.class);
      try (CollectionIndex index = new CollectionIndex(documents, COLLECTION)) {
        index.catchUpTo(documents.collection(COLLECTION).orElseThrow().generation());
        for (SearchMode mode : SearchMode.values()) {
          byMode.put(mode, QualityBenchmark.score(index, embedder, queries, mode));
        }
      }
      return new Result(corpus.documents().size(), chunks.size(), queries.size(), byMode);
    }
  }
}
