package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.KeyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The managed-key kit on the embedded SQLite store. */
class SqliteKeyStoreTest extends KeyStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
