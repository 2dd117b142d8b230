package dev.ballast.store.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.store.internal.GroupCommit.Refused;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real (SQLite) database. Each test holds a first batch open until the writes
 * under test have queued behind it, so that they form the next batch together.
 */
class GroupCommitTest {
  @TempDir Path dir;

  private final ExecutorService callers = Executors.newCachedThreadPool();
  private SqliteConnections sqlite;
  private CountingConnections connections;
  private GroupCommit commits;

  @BeforeEach
  void open() throws SQLException {
    sqlite =
        SqliteConnections.open(
            SqliteConnections.dataSource("jdbc:sqlite:" + dir.resolve("g.db")), "g");
    sqlite.write(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
          }
          return null;
        });
    connections = new CountingConnections(sqlite);
    commits = new GroupCommit(connections, new LocalWorkSignal(), 1, false, 64);
  }

  @AfterEach
  void close() {
    callers.shutdownNow();
    sqlite.close();
  }

  @Test
  void writesQueuedBehindABusyBatchCommitTogetherInOneTransaction() throws Exception {
    List<Future<Object>> queued = behindABusyBatch(insert("b"), insert("c"), insert("d"));

    for (Future<Object> write : queued) {
      assertThat(write.get()).isEqualTo(1);
    }
    assertThat(connections.transactions).hasValue(2);
    assertThat(keys()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aRefusedWriteIsRefusedAloneAndTheRestOfItsBatchCommits() throws Exception {
    SqlWork<Object> refused =
        c -> {
          throw new Refused(new IllegalStateException("not at that stage"));
        };

    List<Future<Object>> queued = behindABusyBatch(insert("b"), refused, insert("c"));

    assertThat(queued.get(0).get()).isEqualTo(1);
    assertThatThrownBy(queued.get(1)::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not at that stage");
    assertThat(queued.get(2).get()).isEqualTo(1);
    assertThat(connections.transactions).hasValue(2);
    assertThat(keys()).containsExactly("a", "b", "c");
  }

  @Test
  void aFailingStatementFailsOnlyItsOwnWriteAndTheOthersAreRetriedAlone() throws Exception {
    // "a" is already written by the busy batch, so inserting it again violates the primary key.
    List<Future<Object>> queued = behindABusyBatch(insert("b"), insert("a"), insert("c"));

    assertThat(queued.get(0).get()).isEqualTo(1);
    assertThatThrownBy(queued.get(1)::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SQLException.class);
    assertThat(queued.get(2).get()).isEqualTo(1);
    assertThat(keys()).containsExactly("a", "b", "c");
  }

  @Test
  void aCallerReturnsOnlyAfterTheCommitOfItsBatchHasReturned() throws Exception {
    CountDownLatch commitReturns = new CountDownLatch(1);
    connections.afterCommit = commitReturns;

    Future<Object> write = callers.submit(() -> commits.run("b", false, insert("b")));

    // The row is committed, but the commit has not returned to the batch's leader yet.
    await().until(() -> keys().contains("b"));
    assertThat(write.isDone()).isFalse();
    commitReturns.countDown();
    assertThat(write.get()).isEqualTo(1);
  }

  @Test
  void withALaneOfTheirOwnClaimsCommitWhileARunWriteBatchIsInFlight() throws Exception {
    GroupCommit separate =
        new GroupCommit(new ConcurrentWrites(), new LocalWorkSignal(), 1, true, 64);
    CountDownLatch inBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> held =
        callers.submit(() -> separate.run("run-1", false, holdUntil(inBatch, release)));
    inBatch.await();

    try {
      // A claim names no run; it goes in its own lane and commits with the run write still open.
      assertThat(callers.submit(() -> separate.run(null, false, c -> "claimed")).get(10, SECONDS))
          .isEqualTo("claimed");
      assertThat(held.isDone()).isFalse();
    } finally {
      release.countDown();
    }
    assertThat(held.get()).isEqualTo("held");
  }

  @Test
  void withoutALaneOfTheirOwnClaimsQueueBehindARunWriteBatch() throws Exception {
    GroupCommit shared =
        new GroupCommit(new ConcurrentWrites(), new LocalWorkSignal(), 1, false, 64);
    CountDownLatch inBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> held =
        callers.submit(() -> shared.run("run-1", false, holdUntil(inBatch, release)));
    inBatch.await();

    Future<Object> claim = callers.submit(() -> shared.run(null, false, c -> "claimed"));
    await().until(() -> shared.queued() == 1);
    assertThat(claim.isDone()).isFalse();
    release.countDown();
    assertThat(claim.get()).isEqualTo("claimed");
    assertThat(held.get()).isEqualTo("held");
  }

  private static SqlWork<Object> holdUntil(CountDownLatch inBatch, CountDownLatch release) {
    return c -> {
      inBatch.countDown();
      awaitUninterruptibly(release);
      return "held";
    };
  }

  /** Transactions that run at once, like a pool's connections; the writes here use none. */
  private static final class ConcurrentWrites implements Connections {
    @Override
    public <T> T write(SqlWork<T> work) throws SQLException {
      return work.apply(null);
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
      return work.apply(null);
    }

    @Override
    public void close() {}
  }

  /**
   * Starts a batch writing "a" and holds it open until {@code writes} have queued behind it, so
   * that they make the next batch; returns their futures in order.
   */
  @SafeVarargs
  private List<Future<Object>> behindABusyBatch(SqlWork<Object>... writes) throws Exception {
    CountDownLatch inBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Object> busy =
        callers.submit(
            () ->
                commits.run(
                    "a",
                    false,
                    c -> {
                      inBatch.countDown();
                      awaitUninterruptibly(release);
                      return insert("a").apply(c);
                    }));
    inBatch.await();
    List<Future<Object>> queued = new ArrayList<>();
    for (int i = 0; i < writes.length; i++) {
      SqlWork<Object> write = writes[i];
      String runId = "run-" + i;
      queued.add(callers.submit(() -> commits.run(runId, false, write)));
    }
    await().until(() -> commits.queued() == writes.length);
    release.countDown();
    busy.get();
    return queued;
  }

  private static SqlWork<Object> insert(String key) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
        ps.setString(1, key);
        return ps.executeUpdate();
      }
    };
  }

  private List<String> keys() throws SQLException {
    return sqlite.read(
        c -> {
          List<String> keys = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            while (rs.next()) {
              keys.add(rs.getString(1));
            }
          }
          return keys;
        });
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts transactions, and can hold a commit's return to the caller. */
  private static final class CountingConnections implements Connections {
    final AtomicInteger transactions = new AtomicInteger();
    volatile CountDownLatch afterCommit;
    private final Connections delegate;

    CountingConnections(Connections delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> T write(SqlWork<T> work) throws SQLException {
      transactions.incrementAndGet();
      T result = delegate.write(work);
      CountDownLatch latch = afterCommit;
      if (latch != null) {
        awaitUninterruptibly(latch);
      }
      return result;
    }

    @Override
    public <T> T read(SqlWork<T> work) throws SQLException {
      return delegate.read(work);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
