package dev.ballast.store;

import dev.ballast.core.spi.LimitStore;
import dev.ballast.testkit.store.LimitStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The limit store contract on the embedded SQLite store. */
class SqliteLimitStoreTest extends LimitStoreContract {
  @TempDir Path dataDir;

  @Override
  protected LimitStore newLimits() {
    return limitsOf(Stores.open("sqlite:", dataDir));
  }
}
