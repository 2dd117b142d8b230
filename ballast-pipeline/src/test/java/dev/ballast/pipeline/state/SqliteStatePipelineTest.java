package dev.ballast.pipeline.state;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** State stages on the embedded SQLite store. */
class SqliteStatePipelineTest extends StatePipelineContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
