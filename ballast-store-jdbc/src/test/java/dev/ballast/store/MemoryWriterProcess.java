package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.store.StateStoreContract;
import java.nio.file.Path;

/**
 * A separate JVM that appends turns to one conversation with compare-and-set retries: {@code
 * STORE_URL CONVERSATION WRITER COUNT}. Used by {@link MemoryWritersAcrossProcessesTest}.
 */
public final class MemoryWriterProcess {
  private MemoryWriterProcess() {}

  public static void main(String[] args) {
    try (Store store = Stores.open(args[0], Path.of("."))) {
      StateStoreContract.appendWithRetries(
          store.memory(), args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }
  }
}
