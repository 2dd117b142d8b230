package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.RunStatsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStatsTest extends RunStatsContract {
  @TempDir Path dataDir;

  @Override
  protected Store newStore() {
    return Stores.open("sqlite:", dataDir);
  }
}
