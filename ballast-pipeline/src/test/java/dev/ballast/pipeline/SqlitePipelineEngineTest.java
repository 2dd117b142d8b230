package dev.ballast.pipeline;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine on the embedded SQLite store. */
class SqlitePipelineEngineTest extends PipelineEngineContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
