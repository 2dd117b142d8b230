package dev.ballast.pipeline.state;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.pipeline.spi.Retriever;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A retriever for engine tests: reads every chunk of the collection from the store and scores the
 * ones live at the pinned generation by shared words. The real index (Lucene, in ballast-retrieval)
 * has its own tests; here what matters is that stages ask for the pinned generation.
 */
final class KeywordRetriever implements Retriever {
  private final DocumentStore documents;

  KeywordRetriever(DocumentStore documents) {
    this.documents = documents;
  }

  @Override
  public Result search(Query query) {
    CollectionInfo info =
        documents
            .collection(query.collection())
            .orElseThrow(() -> new UnknownCollectionException(query.collection()));
    Set<String> words = words(query.text());
    List<Hit> hits = new ArrayList<>();
    String after = null;
    do {
      ChunkPage page = documents.changes(query.collection(), 0, info.generation(), after, 500);
      for (ChunkRecord c : page.chunks()) {
        if (c.liveAt(query.generation())) {
          Set<String> shared = words(c.text());
          shared.retainAll(words);
          hits.add(
              new Hit(
                  c.id(),
                  c.documentId(),
                  c.contentHash(),
                  shared.size(),
                  c.text(),
                  c.title(),
                  c.headings()));
        }
      }
      after = page.nextAfterId();
    } while (after != null);
    hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::chunkId));
    return new Result(hits.subList(0, Math.min(query.k(), hits.size())), info.generation());
  }

  private static Set<String> words(String text) {
    return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\W+")));
  }
}
