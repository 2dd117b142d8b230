package dev.ballast.store.internal;

import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.state.ChunkPage;
import dev.ballast.core.state.ChunkRecord;
import dev.ballast.core.state.CollectionInfo;
import dev.ballast.core.state.DocumentChunks;
import dev.ballast.core.state.GenerationRecord;
import dev.ballast.core.state.IngestResult;
import dev.ballast.core.state.MemoryEntry;
import dev.ballast.core.state.MemoryMutation;
import dev.ballast.core.state.MemoryWrite;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The store over JDBC, shared by SQLite and PostgreSQL: the journal, idempotency keys, the pipeline
 * run queue, document collections and conversation memory, each kept by its own class; this one
 * opens them on one set of connections and turns their {@link SQLException}s into {@link
 * StoreException}s that name the operation and the store. Thread-safe: {@link Connections} decides
 * how concurrent calls share connections.
 */
public final class JdbcJournalStore
    implements JournalStore, IdempotencyStore, RunQueue, DocumentStore, MemoryStore {
  private final Dialect dialect;
  private final Connections connections;
  private final String display;
  private final JdbcJournal journal;
  private final JdbcIdempotency idempotency;
  private final JdbcRunQueue queue;
  private final JdbcDocuments documents;
  private final JdbcMemory memory;

  JdbcJournalStore(
      Dialect dialect,
      Connections connections,
      String display,
      WorkSignal signal,
      GroupCommit commits) {
    this.dialect = dialect;
    this.connections = connections;
    this.display = display;
    this.journal = new JdbcJournal(dialect, connections);
    this.idempotency = new JdbcIdempotency(connections);
    this.queue = new JdbcRunQueue(dialect, connections, display, signal, commits);
    this.documents = new JdbcDocuments(dialect, connections);
    this.memory = new JdbcMemory(dialect, connections);
  }

  @Override
  public QueuedRun enqueue(NewRun run, Instant now) {
    return queue.enqueue(run, now);
  }

  @Override
  public Optional<Lease> claim(
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> pipelines,
      Map<String, Integer> limits) {
    return queue.claim(workerId, now, leaseFor, pipelines, limits);
  }

  @Override
  public boolean heartbeat(String runId, long fence, Instant now, Duration leaseFor) {
    return queue.heartbeat(runId, fence, now, leaseFor);
  }

  @Override
  public void checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now) {
    queue.checkpoint(runId, fence, stageIndex, stageName, output, now);
  }

  @Override
  public void complete(String runId, long fence, byte[] output, Instant now) {
    queue.complete(runId, fence, output, now);
  }

  @Override
  public void fail(String runId, long fence, StageFailure failure, Instant now) {
    queue.fail(runId, fence, failure, now);
  }

  @Override
  public void park(String runId, long fence, String dependency, Instant until, Instant now) {
    queue.park(runId, fence, dependency, until, now);
  }

  @Override
  public int wake(String dependency, Instant now) {
    return queue.wake(dependency, now);
  }

  @Override
  public boolean resume(String runId, Instant now) {
    return queue.resume(runId, now);
  }

  @Override
  public boolean recordEffect(
      String runId, long fence, String stage, String effectKey, Instant now) {
    return queue.recordEffect(runId, fence, stage, effectKey, now);
  }

  @Override
  public void awaitWork(Duration maxWait) throws InterruptedException {
    queue.awaitWork(maxWait);
  }

  @Override
  public void signalWork() {
    queue.signalWork();
  }

  @Override
  public Optional<RunState> find(String runId) {
    return queue.find(runId);
  }

  @Override
  public List<RunState> list(RunFilter filter) {
    return queue.list(filter);
  }

  @Override
  public QueueStats stats(Instant now) {
    return queue.stats(now);
  }

  @Override
  public IdempotencyRecord claim(
      String tenant,
      String key,
      String requestHash,
      String runId,
      Instant now,
      Duration ttl,
      Duration abandonAfter) {
    try {
      return idempotency.claim(tenant, key, requestHash, runId, now, ttl, abandonAfter);
    } catch (SQLException e) {
      throw failure("claiming an idempotency key", e);
    }
  }

  @Override
  public void complete(String tenant, String key, String runId, int status, byte[] body) {
    try {
      idempotency.complete(tenant, key, runId, status, body);
    } catch (SQLException e) {
      throw failure("recording an idempotent response", e);
    }
  }

  @Override
  public void release(String tenant, String key, String runId) {
    try {
      idempotency.release(tenant, key, runId);
    } catch (SQLException e) {
      throw failure("releasing an idempotency key", e);
    }
  }

  @Override
  public Optional<IdempotencyRecord> find(String tenant, String key) {
    try {
      return idempotency.find(tenant, key);
    } catch (SQLException e) {
      throw failure("reading an idempotency key", e);
    }
  }

  @Override
  public CollectionInfo ensureCollection(String name, String embeddingModel, int dimension) {
    try {
      return documents.ensure(name, embeddingModel, dimension, Instant.now());
    } catch (SQLException e) {
      throw failure("creating collection " + name, e);
    }
  }

  @Override
  public Optional<CollectionInfo> collection(String name) {
    try {
      return documents.collection(name);
    } catch (SQLException e) {
      throw failure("reading collection " + name, e);
    }
  }

  @Override
  public List<CollectionInfo> collections() {
    try {
      return documents.collections();
    } catch (SQLException e) {
      throw failure("listing collections", e);
    }
  }

  @Override
  public IngestResult commit(
      String collection,
      String embeddingModel,
      List<DocumentChunks> documentChunks,
      List<String> removed) {
    try {
      return documents.commit(collection, embeddingModel, documentChunks, removed, Instant.now());
    } catch (SQLException e) {
      throw failure("committing a generation of collection " + collection, e);
    }
  }

  @Override
  public Set<String> liveContentHashes(String collection, String documentId) {
    try {
      return documents.liveContentHashes(collection, documentId);
    } catch (SQLException e) {
      throw failure("reading document " + documentId + " of collection " + collection, e);
    }
  }

  @Override
  public ChunkPage changes(
      String collection, long afterGeneration, long upToGeneration, String afterId, int limit) {
    try {
      return documents.changes(collection, afterGeneration, upToGeneration, afterId, limit);
    } catch (SQLException e) {
      throw failure("reading changes of collection " + collection, e);
    }
  }

  @Override
  public List<GenerationRecord> generations(
      String collection, long afterGeneration, long upToGeneration) {
    try {
      return documents.generations(collection, afterGeneration, upToGeneration);
    } catch (SQLException e) {
      throw failure("reading the generations of collection " + collection, e);
    }
  }

  @Override
  public OptionalLong oldestPinnedGeneration(String collection) {
    try {
      return documents.oldestPinnedGeneration(collection);
    } catch (SQLException e) {
      throw failure("reading the runs that pin collection " + collection, e);
    }
  }

  @Override
  public List<ChunkRecord> chunks(String collection, List<String> ids) {
    try {
      return documents.chunks(collection, ids);
    } catch (SQLException e) {
      throw failure("reading chunks of collection " + collection, e);
    }
  }

  @Override
  public MemoryWrite write(
      String conversation,
      long expectedVersion,
      List<MemoryMutation> mutations,
      String effectKey,
      Instant now) {
    try {
      return memory.write(conversation, expectedVersion, mutations, effectKey, now);
    } catch (SQLException e) {
      throw failure("writing memory of " + conversation, e);
    }
  }

  @Override
  public long currentVersion(String conversation) {
    try {
      return memory.currentVersion(conversation);
    } catch (SQLException e) {
      throw failure("reading memory of " + conversation, e);
    }
  }

  @Override
  public List<MemoryEntry> history(String conversation, long upToVersion) {
    try {
      return memory.history(conversation, upToVersion);
    } catch (SQLException e) {
      throw failure("reading memory of " + conversation, e);
    }
  }

  public static JournalStore open(StoreUrl url) {
    return StoreOpener.open(url);
  }

  @Override
  public String backend() {
    return dialect.backend();
  }

  @Override
  public void append(List<JournalEntry> entries, Map<String, byte[]> blobs) {
    try {
      journal.append(entries, blobs);
    } catch (SQLException e) {
      throw failure("append of " + entries.size() + " entries", e);
    }
  }

  @Override
  public List<RunSummary> listRuns(RunQuery query) {
    try {
      return journal.listRuns(query);
    } catch (SQLException e) {
      throw failure("listing runs", e);
    }
  }

  @Override
  public Optional<RunSummary> findRun(String runId) {
    try {
      return journal.findRun(runId);
    } catch (SQLException e) {
      throw failure("reading run " + runId, e);
    }
  }

  @Override
  public List<JournalEntry> events(String runId) {
    try {
      return journal.events(runId);
    } catch (SQLException e) {
      throw failure("reading the journal of run " + runId, e);
    }
  }

  @Override
  public Optional<byte[]> blob(String hash) {
    try {
      return journal.blob(hash);
    } catch (SQLException e) {
      throw failure("reading blob " + hash, e);
    }
  }

  @Override
  public void close() {
    queue.close();
    connections.close();
  }

  @Override
  public String toString() {
    return "JdbcJournalStore[" + display + "]";
  }

  private StoreException failure(String what, SQLException e) {
    return new StoreException(what + " failed on " + display + ": " + e.getMessage(), e);
  }
}
