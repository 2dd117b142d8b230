package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: writes submitted concurrently share one transaction, so that one commit (one WAL
 * flush on PostgreSQL) makes them all durable, while each keeps its own outcome.
 *
 * <p>Writes queue in lanes; the writes of one run always take the same lane, and a lane has at most
 * one batch in flight. So two batches of this store never write the same run, and never wait for
 * each other's row locks: claims, which take a lane of their own or any lane, lock only rows nobody
 * holds ({@code SKIP LOCKED}). A lane of their own keeps a holder's checkpoint from waiting behind
 * claims, which cost more (a walk of the queue) and are not on any running run's path. There is no
 * committer thread. A caller that finds its lane idle leads a batch at once: its own write and
 * whatever has queued. A leader that has committed hands the lane to the oldest queued caller, who
 * leads the next batch. At low load every write is a batch of one and commits without delay; under
 * load a batch holds whatever queued during the previous commit.
 *
 * <p>What keeps each write's outcome its own:
 *
 * <ul>
 *   <li>A write refuses (a stale fence, a wrong stage) by throwing {@link Refused} before it has
 *       written anything. The batch goes on; only that write's caller gets the refusal.
 *   <li>A write must not abort the transaction in the normal course: its statements use {@code ON
 *       CONFLICT DO NOTHING} or a {@code WHERE} that matches no row instead of failing. If a
 *       statement fails anyway, the whole transaction rolls back, nothing of the batch is
 *       committed, and every write of the batch runs again in a transaction of its own, so only the
 *       faulty write fails.
 *   <li>{@link CountedWrite}s of a batch that share a statement are sent as one JDBC batch, and
 *       each gets its own update count.
 *   <li>No caller returns before the commit of its write has returned. When the commit itself
 *       fails, the outcome is unknown and every write of the batch fails.
 * </ul>
 *
 * <p>Thread-safe. Waiting callers ignore interrupts (a write in a batch cannot be withdrawn) and
 * restore the interrupt flag when they return.
 */
final class GroupCommit {
  private final Connections connections;
  private final WorkSignal signal;
  private final int maxBatchSize;
  private final Lane[] lanes;
  private final Lane claims;

  /**
   * @param lanes how many batches of run writes may execute at once, each on its own connection
   * @param claimLane whether claims have a lane of their own (one more batch at once); without it a
   *     claim takes any of the {@code lanes}
   * @param maxBatchSize the most writes one transaction takes; 1 turns batching off
   */
  GroupCommit(
      Connections connections, WorkSignal signal, int lanes, boolean claimLane, int maxBatchSize) {
    if (lanes < 1 || maxBatchSize < 1) {
      throw new IllegalArgumentException(
          "lanes and maxBatchSize must be at least 1, but were " + lanes + " and " + maxBatchSize);
    }
    this.connections = connections;
    this.signal = signal;
    this.maxBatchSize = maxBatchSize;
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
    this.claims = claimLane ? new Lane() : null;
  }

  /** The refusal of one write: it wrote nothing, and the batch goes on without it. */
  static final class Refused extends RuntimeException {
    Refused(RuntimeException reason) {
      super(reason.getMessage(), reason, false, false);
    }

    RuntimeException reason() {
      return (RuntimeException) getCause();
    }
  }

  /**
   * Runs {@code work} in a batch and returns its result once the batch has committed.
   *
   * @param runId the run the write locks, or null for a claim (which locks with SKIP LOCKED)
   * @param signals whether a successful write makes work claimable (see {@link WorkSignal})
   * @throws RuntimeException the reason of a {@link Refused} write, or what the write threw
   * @throws SQLException when the write, or the commit of its batch, failed
   */
  <T> T run(String runId, boolean signals, SqlWork<T> work) throws SQLException {
    Lane lane;
    if (runId != null) {
      lane = lanes[Math.floorMod(runId.hashCode(), lanes.length)];
    } else if (claims != null) {
      lane = claims;
    } else {
      lane = lanes[ThreadLocalRandom.current().nextInt(lanes.length)];
    }
    return lane.run(new Write<>(signals, work));
  }

  /** How many writes wait for a batch; for tests. */
  int queued() {
    int queued = 0;
    for (Lane lane : lanes) {
      queued += lane.queued();
    }
    return claims == null ? queued : queued + claims.queued();
  }

  /** A queue of writes with at most one batch in flight. */
  private final class Lane {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Write<?>> queue = new ArrayDeque<>();
    private boolean busy;

    <T> T run(Write<T> write) throws SQLException {
      if (!enter(write)) {
        write.awaitTurn();
      }
      if (write.state == Write.LEADING) {
        lead(write);
      }
      return write.outcome();
    }

    int queued() {
      lock.lock();
      try {
        return queue.size();
      } finally {
        lock.unlock();
      }
    }

    private boolean enter(Write<?> write) {
      lock.lock();
      try {
        if (!busy) {
          busy = true;
          write.state = Write.LEADING;
          return true;
        }
        queue.add(write);
        return false;
      } finally {
        lock.unlock();
      }
    }

    private void lead(Write<?> own) {
      List<Write<?>> batch = drain(own);
      try {
        commit(batch);
      } catch (RuntimeException | Error e) {
        // A fault of this class, not of a write: no caller may be left waiting for it.
        batch.forEach(w -> w.fail(e));
      } finally {
        handOff();
        batch.forEach(Write::finish);
      }
    }

    private List<Write<?>> drain(Write<?> own) {
      List<Write<?>> batch = new ArrayList<>();
      batch.add(own);
      lock.lock();
      try {
        while (batch.size() < maxBatchSize && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
      } finally {
        lock.unlock();
      }
      return batch;
    }

    /** Passes the lane to the oldest waiting write, or leaves it idle when none waits. */
    private void handOff() {
      Write<?> next;
      lock.lock();
      try {
        next = queue.poll();
        busy = next != null;
      } finally {
        lock.unlock();
      }
      if (next != null) {
        next.lead();
      }
    }
  }

  private void commit(List<Write<?>> batch) {
    Phase phase = new Phase();
    boolean signalled;
    try {
      signalled =
          connections.write(
              c -> {
                phase.executing = true;
                boolean any = execute(c, batch);
                if (any) {
                  signal.publish(c);
                }
                phase.executed = true;
                return any;
              });
    } catch (SQLException | RuntimeException e) {
      if (phase.executing && !phase.executed && batch.size() > 1) {
        // A statement failed: the transaction rolled back, so each write may simply run again.
        batch.forEach(this::alone);
      } else {
        batch.forEach(w -> w.fail(e));
      }
      return;
    }
    if (signalled) {
      signal.committed();
    }
  }

  /** Executes a batch's writes in {@code c}'s transaction; true when one asks for a signal. */
  private static boolean execute(Connection c, List<Write<?>> batch) throws SQLException {
    Map<String, List<Write<?>>> counted = new LinkedHashMap<>();
    List<Write<?>> others = new ArrayList<>();
    for (Write<?> write : batch) {
      if (write.work instanceof CountedWrite<?> countedWrite) {
        counted.computeIfAbsent(countedWrite.sql(), sql -> new ArrayList<>()).add(write);
      } else {
        others.add(write);
      }
    }
    boolean signalled = false;
    for (List<Write<?>> group : counted.values()) {
      signalled |= executeCounted(c, group);
    }
    for (Write<?> write : others) {
      signalled |= write.execute(c);
    }
    return signalled;
  }

  /** Sends writes that share one statement in one round trip, each with its own update count. */
  private static boolean executeCounted(Connection c, List<Write<?>> group) throws SQLException {
    if (group.size() == 1) {
      return group.getFirst().execute(c);
    }
    int[] counts;
    try (PreparedStatement ps =
        c.prepareStatement(((CountedWrite<?>) group.getFirst().work).sql())) {
      for (Write<?> write : group) {
        ((CountedWrite<?>) write.work).bind(ps);
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    boolean signalled = false;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new SQLException("the driver reported no update count for a batched write");
      }
      signalled |= group.get(i).settle(c, counts[i]);
    }
    return signalled;
  }

  private void alone(Write<?> write) {
    try {
      boolean signalled =
          connections.write(
              c -> {
                boolean any = write.execute(c);
                if (any) {
                  signal.publish(c);
                }
                return any;
              });
      if (signalled) {
        signal.committed();
      }
    } catch (SQLException | RuntimeException e) {
      write.fail(e);
    }
  }

  /** How far a batch got before its transaction failed. */
  private static final class Phase {
    boolean executing;
    boolean executed;
  }

  @FunctionalInterface
  private interface SqlCall<T> {
    T call() throws SQLException;
  }

  /** One caller's write and, once its batch has finished, its outcome. */
  private static final class Write<T> {
    static final int QUEUED = 0;
    static final int LEADING = 1;
    static final int DONE = 2;

    final boolean signals;
    final SqlWork<T> work;
    final Thread caller = Thread.currentThread();
    volatile int state = QUEUED;
    private T value;
    private RuntimeException refusal;
    private Throwable failure;

    Write(boolean signals, SqlWork<T> work) {
      this.signals = signals;
      this.work = work;
    }

    /** Executes the write in {@code c}'s transaction; true when it succeeded and signals. */
    boolean execute(Connection c) throws SQLException {
      return settle(() -> work.apply(c));
    }

    /** Settles a {@link CountedWrite} whose statement was executed in a JDBC batch. */
    boolean settle(Connection c, int updated) throws SQLException {
      CountedWrite<T> counted = (CountedWrite<T>) work;
      return settle(() -> counted.outcome(c, updated));
    }

    private boolean settle(SqlCall<T> call) throws SQLException {
      value = null;
      refusal = null;
      failure = null;
      try {
        value = call.call();
        return signals;
      } catch (Refused refused) {
        refusal = refused.reason();
        return false;
      }
    }

    void fail(Throwable e) {
      failure = e;
    }

    void lead() {
      state = LEADING;
      LockSupport.unpark(caller);
    }

    void finish() {
      state = DONE;
      if (caller != Thread.currentThread()) {
        LockSupport.unpark(caller);
      }
    }

    void awaitTurn() {
      boolean interrupted = false;
      while (state == QUEUED) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    T outcome() throws SQLException {
      switch (failure) {
        case null -> {}
        // Each caller gets its own exception, with its own stack, around the batch's one.
        case SQLException e ->
            throw new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        default -> throw new IllegalStateException(failure);
      }
      if (refusal != null) {
        throw refusal;
      }
      return value;
    }
  }
}
