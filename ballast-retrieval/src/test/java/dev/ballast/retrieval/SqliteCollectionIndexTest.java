package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The index contract on the embedded SQLite store. */
class SqliteCollectionIndexTest extends CollectionIndexContract {
  @TempDir Path dataDir;

  @Override
  protected DocumentStore newStore() {
    return (DocumentStore) Stores.open("sqlite:", dataDir);
  }
}
