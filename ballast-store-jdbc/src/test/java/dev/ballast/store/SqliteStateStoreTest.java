package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.StateStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The state kit on the embedded SQLite store. */
class SqliteStateStoreTest extends StateStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
