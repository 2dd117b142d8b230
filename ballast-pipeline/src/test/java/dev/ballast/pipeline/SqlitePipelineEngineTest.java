package dev.ballast.pipeline;

import dev.ballast.core.spi.JournalStore;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine on the embedded SQLite store. */
class SqlitePipelineEngineTest extends PipelineEngineContract {
  @TempDir Path dataDir;

  @Override
  protected JournalStore newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
