package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.AccessConfig;
import dev.ballast.core.state.CollectionAccessDeniedException;
import dev.ballast.pipeline.spi.Retriever;
import dev.ballast.retrieval.Indexes;
import dev.ballast.retrieval.SearchHit;
import dev.ballast.retrieval.SearchMode;
import dev.ballast.retrieval.SearchResult;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code retrieve} stages search this node's indexes, pinned to the run's generation, and only
 * collections the run's tenant may read (docs/security.md): checked here, on the node that executes
 * the stage, with its configuration, whatever the node that accepted the run allowed.
 */
final class IndexRetriever implements Retriever {
  private final Indexes indexes;
  // The configuration running now: a reload may make a tenant an administrator.
  private final Supplier<AccessConfig> access;

  IndexRetriever(Indexes indexes, Supplier<AccessConfig> access) {
    this.indexes = indexes;
    this.access = access;
  }

  @Override
  public Result search(Query query) {
    if (query.tenant() != null && !access.get().canRead(query.tenant(), query.collection())) {
      throw new CollectionAccessDeniedException(query.collection(), query.tenant());
    }
    SearchResult result =
        indexes.search(
            query.collection(),
            query.generation(),
            query.text(),
            query.vector(),
            query.vector() == null ? null : query.vectorModel(),
            query.k(),
            SearchMode.parse(query.mode()));
    List<Hit> hits = result.hits().stream().map(IndexRetriever::hit).toList();
    return new Result(hits, result.indexGeneration());
  }

  private static Hit hit(SearchHit h) {
    return new Hit(
        h.chunkId(), h.documentId(), h.contentHash(), h.score(), h.text(), h.title(), h.headings());
  }
}
