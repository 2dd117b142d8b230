package dev.ballast.store;

import dev.ballast.core.spi.RunQueue;
import dev.ballast.testkit.store.RunQueueContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The run queue contract on the embedded SQLite store. */
class SqliteRunQueueTest extends RunQueueContract {
  @TempDir Path dataDir;

  @Override
  protected RunQueue newQueue() {
    return queueOf(Stores.open("sqlite:", dataDir));
  }
}
