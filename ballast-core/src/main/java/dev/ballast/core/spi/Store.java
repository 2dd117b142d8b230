package dev.ballast.core.spi;

/**
 * A node's durable store and what it keeps, each capability asked for by name: the journal, the
 * pipeline run queue, idempotency keys, document collections, conversation memory, and the
 * read-only aggregates over them that the console draws, and Watch's baselines and alerts. A caller
 * never finds a capability by casting; every backend offers all seven, and passes the store
 * compatibility kits in {@code ballast-testkit}.
 *
 * <p>Thread-safe. Closing the store closes every capability; each stays usable until then.
 */
public interface Store extends AutoCloseable {

  /** The backend's name, {@code sqlite} or {@code postgresql}. */
  String backend();

  JournalStore journal();

  RunQueue runQueue();

  IdempotencyStore idempotency();

  DocumentStore documents();

  MemoryStore memory();

  Aggregates aggregates();

  /** Watch's per-minute aggregates and alerts. */
  WatchStore watch();

  @Override
  void close();
}
