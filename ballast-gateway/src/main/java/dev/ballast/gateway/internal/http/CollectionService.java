package dev.ballast.gateway.internal.http;

import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.retrieval.Indexes;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.IngestReport;
import dev.ballast.retrieval.SourceDocument;
import java.util.List;

/** What the collections API needs of the node's state services. */
public interface CollectionService {
  /** The collections' documents, generations and chunks in the store. */
  DocumentStore documents();

  /** This node's indexes of the collections, tailed from the store. */
  Indexes indexes();

  /**
   * Commits the next generation of {@code collection}: {@code documents} added or replaced, {@code
   * removed} retired.
   */
  IngestReport ingest(
      String collection,
      TenantConfig tenant,
      List<SourceDocument> documents,
      List<String> removed,
      IngestListener listener);
}
