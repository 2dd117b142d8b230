package dev.ballast.gateway;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.internal.assembly.IngestAssembly;
import dev.ballast.retrieval.DocumentReader;
import dev.ballast.retrieval.IngestListener;
import dev.ballast.retrieval.IngestReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Ingests files into a configured collection without a running gateway (for {@code ballast
 * ingest}): each call commits one new generation in the store, which every node's index then tails.
 * A collection embedded by the local model needs no provider; one embedded by a model group calls
 * it through the configuration's providers and resilience chain.
 *
 * <p>Close it to flush the journal of those embedding calls; the store stays open, the caller owns
 * it.
 */
public final class Ingestion implements AutoCloseable {
  private final IngestAssembly assembly;

  private Ingestion(IngestAssembly assembly) {
    this.assembly = assembly;
  }

  public static Ingestion open(BallastConfig config, Store store) {
    return new Ingestion(IngestAssembly.open(config, store, Clock.systemUTC()));
  }

  /**
   * Reads {@code paths} (files and directories, see {@link DocumentReader}) and commits them as the
   * collection's next generation: changed documents replace only their changed chunks, unchanged
   * ones are reused without embedding. Documents not named stay as they are.
   *
   * @throws dev.ballast.core.BallastException naming a missing path, an unsupported file type or an
   *     unknown collection
   */
  public IngestReport ingest(String collection, List<Path> paths, IngestListener listener) {
    return assembly.ingest(collection, DocumentReader.read(paths), List.of(), listener);
  }

  @Override
  public void close() {
    assembly.close();
  }
}
