package dev.ballast.retrieval;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Index snapshots against the embedded SQLite store. */
class SqliteIndexSnapshotTest extends IndexSnapshotContract {
  @TempDir Path databases;

  @Override
  protected Store newStore() throws Exception {
    return Stores.open("sqlite:", Files.createTempDirectory(databases, "db"));
  }
}
