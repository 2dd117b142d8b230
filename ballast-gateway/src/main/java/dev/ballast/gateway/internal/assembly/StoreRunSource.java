package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.spi.Store;
import dev.ballast.telemetry.RunSource;
import java.util.List;
import java.util.Optional;

/** What telemetry reads of other nodes' runs, from the store every node shares. */
final class StoreRunSource implements RunSource {
  private final Store store;

  StoreRunSource(Store store) {
    this.store = store;
  }

  @Override
  public List<JournalEntry> events(String runId) {
    return store.journal().events(runId);
  }

  @Override
  public Optional<QueuedRun> queuedRun(String runId) {
    return store.runQueue().find(runId).map(run -> new QueuedRun(run.pipeline(), run.tenant()));
  }
}
