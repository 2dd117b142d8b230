package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.IngestReport;
import dev.ballast.retrieval.SourceDocument;
import java.time.Clock;
import java.util.List;

/**
 * Ingestion outside a running gateway ({@code ballast ingest}): the state services over the store,
 * and for a collection embedded by a model group, the configuration's providers and chain with a
 * journal writer for the embedding calls (journaled as the system tenant's gateway runs, as a
 * gateway's own seeding is). Close it to flush those runs.
 */
public final class IngestAssembly implements AutoCloseable {
  private final StandaloneChain chain;
  private final StateAssembly state;

  private IngestAssembly(StandaloneChain chain, StateAssembly state) {
    this.chain = chain;
    this.state = state;
  }

  /**
   * @param store stays open after {@link #close()}: the caller owns it
   */
  public static IngestAssembly open(BallastConfig config, Store store, Clock clock) {
    StandaloneChain chain = new StandaloneChain(config, store, clock, "spool-ingest");
    StateAssembly state =
        StateAssembly.create(config, store, chain.chain(), chain.journal(), clock);
    return new IngestAssembly(chain, state);
  }

  /**
   * Commits the next generation of {@code collection}: {@code documents} added or replaced, {@code
   * removed} retired.
   *
   * @throws dev.ballast.core.state.UnknownCollectionException when no such collection is configured
   */
  public IngestReport ingest(
      String collection,
      List<SourceDocument> documents,
      List<String> removed,
      IngestListener listener) {
    return state.ingest(collection, StateAssembly.SYSTEM_TENANT, documents, removed, listener);
  }

  @Override
  public void close() {
    state.close();
    chain.close();
  }
}
