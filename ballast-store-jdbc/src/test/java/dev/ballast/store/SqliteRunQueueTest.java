package dev.ballast.store;

import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.RunQueueContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The run queue contract on the embedded SQLite store. */
class SqliteRunQueueTest extends RunQueueContract {
  @TempDir Path dataDir;

  @Override
  protected RunQueue newQueue() {
    return opened(Stores.open("sqlite:", dataDir));
  }

  private final java.util.Map<RunQueue, Store> stores = new java.util.IdentityHashMap<>();

  private RunQueue opened(Store store) {
    stores.put(store.runQueue(), store);
    return store.runQueue();
  }

  @Override
  protected void close(RunQueue queue) {
    Store store = stores.remove(queue);
    if (store != null) {
      store.close();
    }
  }
}
