package dev.ballast.store.internal;

import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.KeyStore;
import dev.ballast.core.spi.LimitStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.NodeStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.core.spi.WatchStore;

/**
 * The store over JDBC, shared by SQLite and PostgreSQL: the journal, the pipeline run queue,
 * idempotency keys, document collections, conversation memory, the aggregates over them, managed
 * keys, tenant limits and Watch's baselines and alerts, each kept by a class of its own on one set
 * of connections, and handed out by name. Thread-safe: {@link Connections} decides how concurrent
 * calls share connections.
 */
public final class JdbcStore implements Store {
  private final Dialect dialect;
  private final Connections connections;
  private final String display;
  private final JdbcJournalStore journal;
  private final JdbcRunQueue queue;
  private final JdbcIdempotencyStore idempotency;
  private final JdbcDocumentStore documents;
  private final JdbcMemoryStore memory;
  private final JdbcAggregates aggregates;
  private final JdbcKeyStore keys;
  private final JdbcLimitStore limits;
  private final JdbcNodeStore nodes;
  private final JdbcWatchStore watch;

  JdbcStore(
      Dialect dialect,
      Connections connections,
      String display,
      WorkSignal signal,
      GroupCommit commits) {
    this.dialect = dialect;
    this.connections = connections;
    this.display = display;
    SqlFailures failures = new SqlFailures(display);
    this.journal = new JdbcJournalStore(new JdbcJournal(dialect, connections), failures);
    this.queue = new JdbcRunQueue(dialect, connections, display, signal, commits);
    this.idempotency = new JdbcIdempotencyStore(new JdbcIdempotency(connections), failures);
    this.documents = new JdbcDocumentStore(new JdbcDocuments(dialect, connections), failures);
    this.memory = new JdbcMemoryStore(new JdbcMemory(dialect, connections), failures);
    this.aggregates = new JdbcAggregates(dialect, connections, failures);
    this.keys = new JdbcKeyStore(connections, failures);
    this.limits = new JdbcLimitStore(dialect, connections, failures);
    this.nodes = new JdbcNodeStore(connections, failures);
    this.watch = new JdbcWatchStore(new JdbcWatch(dialect, connections), failures);
  }

  public static Store open(StoreUrl url) {
    return StoreOpener.open(url);
  }

  @Override
  public String backend() {
    return dialect.backend();
  }

  @Override
  public JournalStore journal() {
    return journal;
  }

  @Override
  public RunQueue runQueue() {
    return queue;
  }

  @Override
  public IdempotencyStore idempotency() {
    return idempotency;
  }

  @Override
  public DocumentStore documents() {
    return documents;
  }

  @Override
  public MemoryStore memory() {
    return memory;
  }

  @Override
  public Aggregates aggregates() {
    return aggregates;
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public LimitStore limits() {
    return limits;
  }

  @Override
  public WatchStore watch() {
    return watch;
  }

  @Override
  public NodeStore nodes() {
    return nodes;
  }

  @Override
  public void close() {
    queue.close();
    connections.close();
  }

  @Override
  public String toString() {
    return "JdbcStore[" + display + "]";
  }
}
