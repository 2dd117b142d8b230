package dev.ballast.core.spi;

/**
 * A node's durable store and what it keeps, each capability asked for by name: the journal, the
 * pipeline run queue, idempotency keys, document collections, conversation memory, the read-only
 * aggregates over them that the console draws, managed virtual keys, the tenant limits shared by
 * nodes, and Watch's baselines and alerts. A caller never finds a capability by casting; every
 * backend offers all nine, and passes the store compatibility kits in {@code ballast-testkit}.
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

  KeyStore keys();

  /** Tenant limits shared by every node of the store: usage and leases ({@code docs/limits.md}). */
  LimitStore limits();

  /** Watch's per-minute aggregates and alerts. */
  WatchStore watch();

  /** The nodes sharing this store and the configuration version each runs. */
  NodeStore nodes();

  @Override
  void close();
}
