package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The index contract on the embedded SQLite store. */
class SqliteCollectionIndexTest extends CollectionIndexContract {
  @TempDir Path dataDir;

  @Override
  protected DocumentStore newStore() {
    Store opened = Stores.open("sqlite:", dataDir);
    closeables.add(opened);
    return opened.documents();
  }
}
