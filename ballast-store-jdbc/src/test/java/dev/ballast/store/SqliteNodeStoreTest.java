package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.NodeStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The node registry kit on the embedded SQLite store. */
class SqliteNodeStoreTest extends NodeStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
