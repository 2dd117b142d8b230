package dev.ballast.bench;

import dev.ballast.core.config.CollectionIndexConfig;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.retrieval.Chunker;
import dev.ballast.retrieval.ChunkerConfig;
import dev.ballast.retrieval.CollectionIndex;
import dev.ballast.retrieval.DocumentReader;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.Ingestor;
import dev.ballast.retrieval.LocalEmbedder;
import dev.ballast.retrieval.SearchHit;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.retrieval.SourceDocument;
import dev.ballast.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Retrieval quality on a corpus with known answers: the frozen documentation in {@code
 * bench/corpus}, chunked (128 tokens, overlap 16) and embedded by the local model. Two query sets,
 * each built deterministically from the corpus itself:
 *
 * <ul>
 *   <li><b>heading queries</b>: the text of each section heading (below the document title) asks
 *       for the chunks of that section; every chunk under the heading is relevant.
 *   <li><b>sentence queries</b>: from each chunk, its longest sentence (at least 8 words) with
 *       every third word dropped; every chunk containing that sentence is relevant.
 * </ul>
 *
 * MRR@10 (the reciprocal rank of the first relevant chunk, 0 when none is in the top 10) and
 * recall@10 (the relevant chunks in the top 10, over the relevant count capped at 10) per search
 * mode. Appends a Markdown section to the report it is given.
 */
final class QualityBenchmark {
  private QualityBenchmark() {}

  record Query(String text, Set<String> relevant) {}

  static List<String> run(Path corpus, LocalEmbedder embedder) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(corpus)) {
      files = s.filter(p -> !p.getFileName().toString().equals("SOURCE.md")).sorted().toList();
    }
    List<SourceDocument> docs = DocumentReader.read(files);
    Path dir = Files.createTempDirectory("ballast-quality");
    List<String> lines = new ArrayList<>();
    try (Store store = Stores.open("sqlite:", dir)) {
      DocumentStore documents = store.documents();
      new Ingestor(documents, embedder, new Chunker(new ChunkerConfig(128, 16)))
          .ingest("quality", docs, List.of(), IngestListener.NONE);
      List<ChunkRecord> chunks = chunks(documents, "quality");
      Map<String, List<Query>> sets = new LinkedHashMap<>();
      sets.put("heading queries", headingQueries(chunks));
      sets.put("sentence queries", sentenceQueries(chunks));
      lines.add("");
      lines.add("## Retrieval quality: known answers, local model");
      lines.add("");
      lines.add(
          String.format(
              Locale.ROOT,
              "Corpus: `bench/corpus` (this repository's documentation, frozen), %d files, %d"
                  + " chunks of up to 128 tokens. Heading queries: each section heading's text;"
                  + " relevant = the section's chunks. Sentence queries: each chunk's longest"
                  + " sentence with every third word dropped; relevant = the chunks containing the"
                  + " sentence. Index: %s vectors, oversample %d (the defaults); k = 10.",
              files.size(),
              chunks.size(),
              CollectionIndexConfig.DEFAULTS.vectors().wireName(),
              CollectionIndexConfig.DEFAULTS.oversample()));
      lines.add("");
      lines.add("| query set | queries | mode | MRR@10 | recall@10 |");
      lines.add("|---|---:|---|---:|---:|");
      try (CollectionIndex index = new CollectionIndex(documents, "quality")) {
        for (var set : sets.entrySet()) {
          for (SearchMode mode : SearchMode.values()) {
            double[] m = score(index, embedder, set.getValue(), mode);
            lines.add(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %.3f | %.3f |",
                    set.getKey(),
                    set.getValue().size(),
                    mode.wireName(),
                    m[0],
                    m[1]));
          }
        }
      }
    }
    return lines;
  }

  static List<ChunkRecord> chunks(DocumentStore documents, String collection) {
    List<ChunkRecord> out = new ArrayList<>();
    String after = null;
    do {
      ChunkPage page = documents.changes(collection, 0, 1, after, 1000);
      out.addAll(page.chunks());
      after = page.nextAfterId();
    } while (after != null);
    return out;
  }

  static List<Query> headingQueries(List<ChunkRecord> chunks) {
    Map<String, Set<String>> bySection = new LinkedHashMap<>();
    Map<String, String> headingText = new LinkedHashMap<>();
    for (ChunkRecord c : chunks) {
      if (c.headings().size() < 2) {
        continue;
      }
      String heading = c.headings().getLast();
      String key = c.documentId() + "\u0000" + String.join("\u0000", c.headings());
      bySection.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(c.id());
      headingText.put(key, heading.replaceAll("[`*_#]", "").strip());
    }
    List<Query> out = new ArrayList<>();
    for (var e : bySection.entrySet()) {
      String text = headingText.get(e.getKey());
      if (text.split("\\s+").length >= 2) {
        out.add(new Query(text, e.getValue()));
      }
    }
    return out;
  }

  static List<Query> sentenceQueries(List<ChunkRecord> chunks) {
    List<Query> out = new ArrayList<>();
    for (ChunkRecord c : chunks) {
      String best = null;
      for (String sentence : c.text().split("(?<=[.!?])\\s+")) {
        String s = sentence.replaceAll("[`*_#|]", " ").strip();
        if (s.split("\\s+").length >= 8 && (best == null || s.length() > best.length())) {
          best = s;
        }
      }
      if (best == null) {
        continue;
      }
      Set<String> relevant = new LinkedHashSet<>();
      for (ChunkRecord other : chunks) {
        if (other.text().replaceAll("[`*_#|]", " ").contains(best)) {
          relevant.add(other.id());
        }
      }
      relevant.add(c.id());
      String[] words = best.split("\\s+");
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < words.length; i++) {
        if (i % 3 != 2) {
          q.append(q.isEmpty() ? "" : " ").append(words[i]);
        }
      }
      out.add(new Query(q.toString(), relevant));
    }
    return out;
  }

  /** {MRR@10, recall@10} of {@code mode} over {@code queries}. */
  static double[] score(
      CollectionIndex index, LocalEmbedder embedder, List<Query> queries, SearchMode mode) {
    double mrr = 0;
    double recall = 0;
    for (Query q : queries) {
      float[] v = mode == SearchMode.KEYWORD ? null : embedder.embed(List.of(q.text())).getFirst();
      List<SearchHit> hits = index.search(1, q.text(), v, 10, mode).hits();
      int found = 0;
      double rr = 0;
      for (int i = 0; i < hits.size(); i++) {
        if (q.relevant().contains(hits.get(i).chunkId())) {
          found++;
          if (rr == 0) {
            rr = 1.0 / (i + 1);
          }
        }
      }
      mrr += rr;
      recall += (double) found / Math.min(10, q.relevant().size());
    }
    return new double[] {mrr / queries.size(), recall / queries.size()};
  }
}
