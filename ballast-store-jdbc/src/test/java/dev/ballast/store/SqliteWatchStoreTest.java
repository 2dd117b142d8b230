package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.WatchStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteWatchStoreTest extends WatchStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
