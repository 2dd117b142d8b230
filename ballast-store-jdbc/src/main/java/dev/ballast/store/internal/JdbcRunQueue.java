package dev.ballast.store.internal;

import static dev.ballast.core.queue.QueueState.QUEUED;
import static dev.ballast.core.queue.QueueState.SUCCEEDED;
import static dev.ballast.core.queue.QueueState.WAITING;

import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueQuotaExceededException;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run queue over JDBC, shared by SQLite and PostgreSQL. Claims and the writes of lease holders
 * ({@link HeldRunWrites}) go through {@link GroupCommit}, so concurrent ones share a commit; each
 * is fenced by the database in its own statement. Writes after which a run is claimable at the
 * writer's {@code now} are published through a {@link WorkSignal} to the workers in {@link
 * #awaitWork}. Thread-safe.
 */
final class JdbcRunQueue implements RunQueue, AutoCloseable {
  private final Dialect dialect;
  private final Connections connections;
  private final String display;
  private final JdbcQueueRows rows;
  private final HeldRunWrites held;
  private final WorkSignal signal;
  private final GroupCommit commits;

  JdbcRunQueue(
      Dialect dialect,
      Connections connections,
      String display,
      WorkSignal signal,
      GroupCommit commits) {
    this.dialect = dialect;
    this.connections = connections;
    this.display = display;
    this.rows = new JdbcQueueRows(dialect);
    this.held = new HeldRunWrites(dialect, rows);
    this.signal = signal;
    this.commits = commits;
  }

  @Override
  public QueuedRun enqueue(NewRun run, Instant now, int maxPending) {
    boolean claimable = !run.availableAt().isAfter(now);
    QueuedRun queued =
        write(
            "enqueueing run " + run.runId(),
            c -> {
              if (maxPending > 0) {
                Optional<QueuedRun> named = withinQuota(c, run, maxPending);
                if (named.isPresent()) {
                  return named.get();
                }
              }
              int inserted =
                  rows.update(
                      c,
                      "INSERT INTO run_queue (id, pipeline, pipeline_version, tenant, priority,"
                          + " idempotency_key, state, available_at, input, enqueued_at,"
                          + " updated_at, pins) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)"
                          + " ON CONFLICT DO NOTHING",
                      run.runId(),
                      run.pipeline(),
                      run.pipelineVersion(),
                      run.tenant(),
                      run.priority(),
                      run.idempotencyKey(),
                      run.availableAt(),
                      run.input(),
                      now,
                      now,
                      JdbcQueueRows.pinsJson(run.pins()));
              if (inserted == 1 && claimable) {
                signal.publish(c);
              }
              return new QueuedRun(existing(c, run), inserted == 1);
            });
    if (queued.created() && claimable) {
      signal.committed();
    }
    return queued;
  }

  /**
   * Checks the tenant's quota (invariant 10) with the tenant's count serialized: an advisory lock
   * per tenant on PostgreSQL, the single writer on SQLite.
   *
   * @return the run the idempotency key already names, if any: it is answered whatever the count
   * @throws QueueQuotaExceededException when the tenant has {@code maxPending} runs pending
   */
  private Optional<QueuedRun> withinQuota(Connection c, NewRun run, int maxPending)
      throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, JdbcLimitStore.lockKey(run.tenant(), "queue"));
        ps.executeQuery().close();
      }
    }
    if (run.idempotencyKey() != null) {
      Optional<RunState> holder =
          rows.find(
              c,
              "tenant = ? AND pipeline = ? AND idempotency_key = ?",
              run.tenant(),
              run.pipeline(),
              run.idempotencyKey());
      if (holder.isPresent()) {
        return Optional.of(new QueuedRun(holder.get(), false));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM run_queue WHERE tenant = ? AND state IN ('queued', 'waiting')")) {
      ps.setString(1, run.tenant());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) >= maxPending) {
          throw new QueueQuotaExceededException(run.tenant(), maxPending);
        }
      }
    }
    return Optional.empty();
  }

  /** The run holding the new run's idempotency key, else the run with its id. */
  private RunState existing(Connection c, NewRun run) throws SQLException {
    if (run.idempotencyKey() != null) {
      Optional<RunState> holder =
          rows.find(
              c,
              "tenant = ? AND pipeline = ? AND idempotency_key = ?",
              run.tenant(),
              run.pipeline(),
              run.idempotencyKey());
      if (holder.isPresent()) {
        return holder.get();
      }
    }
    return rows.find(c, "id = ?", run.runId()).orElseThrow();
  }

  @Override
  public Optional<Lease> claim(
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> pipelines,
      Map<String, Integer> limits) {
    return commit(
        "claiming a run", null, false, held.claim(workerId, now, leaseFor, pipelines, limits));
  }

  @Override
  public boolean heartbeat(String runId, long fence, Instant now, Duration leaseFor) {
    return commit(
        "extending the lease of run " + runId,
        runId,
        false,
        held.heartbeat(runId, fence, now, leaseFor));
  }

  @Override
  public void checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now) {
    commit(
        "checkpointing stage " + stageIndex + " of run " + runId,
        runId,
        false,
        held.checkpoint(runId, fence, stageIndex, stageName, output, now));
  }

  @Override
  public void complete(String runId, long fence, byte[] output, Instant now) {
    commit(
        "complete of run " + runId,
        runId,
        false,
        held.release(
            runId, fence, "complete", now, SUCCEEDED, "output = ?, available_at = ?", output, now));
  }

  @Override
  public void fail(String runId, long fence, StageFailure failure, Instant now) {
    Instant availableAt = failure.retryAt() == null ? now : failure.retryAt();
    boolean claimable = failure.next() == WAITING && !availableAt.isAfter(now);
    commit(
        "fail of run " + runId,
        runId,
        claimable,
        held.release(
            runId,
            fence,
            "fail",
            now,
            failure.next(),
            "failed_stage = ?, error = ?, available_at = ?",
            failure.stage(),
            failure.error(),
            availableAt));
  }

  @Override
  public void park(String runId, long fence, String dependency, Instant until, Instant now) {
    // The claim that parks never ran the stage, so it gives its attempt back.
    commit(
        "park of run " + runId,
        runId,
        !until.isAfter(now),
        held.release(
            runId,
            fence,
            "park",
            now,
            WAITING,
            "waiting_on = ?, available_at = ?, attempts = attempts - 1",
            dependency,
            until));
  }

  @Override
  public int wake(String dependency, Instant now) {
    int woken =
        write(
            "waking runs parked on " + dependency,
            c -> {
              int updated =
                  rows.update(
                      c,
                      "UPDATE run_queue SET available_at = ?, updated_at = ?"
                          + " WHERE state = 'waiting' AND waiting_on = ? AND available_at > ?",
                      now,
                      now,
                      dependency,
                      now);
              if (updated > 0) {
                signal.publish(c);
              }
              return updated;
            });
    if (woken > 0) {
      signal.committed();
    }
    return woken;
  }

  @Override
  public boolean resume(String runId, Instant now) {
    boolean resumed =
        write(
            "resuming run " + runId,
            c -> {
              int updated =
                  rows.update(
                      c,
                      "UPDATE run_queue SET state = 'queued', attempts = 0, available_at = ?,"
                          + " updated_at = ? WHERE id = ? AND state IN ("
                          + JdbcQueueRows.states(QueueState.sourcesOf(QUEUED))
                          + ")",
                      now,
                      now,
                      runId);
              if (updated == 1) {
                signal.publish(c);
              }
              return updated == 1;
            });
    if (resumed) {
      signal.committed();
    }
    return resumed;
  }

  @Override
  public boolean recordEffect(
      String runId, long fence, String stage, String effectKey, Instant now) {
    return commit(
        "recording effect " + effectKey + " of run " + runId,
        runId,
        false,
        held.recordEffect(runId, fence, stage, effectKey, now));
  }

  @Override
  public void awaitWork(Duration maxWait) throws InterruptedException {
    signal.await(maxWait);
  }

  @Override
  public void signalWork() {
    // A read connection commits each statement, so the notification is sent at once.
    read(
        "signalling work",
        c -> {
          signal.publish(c);
          return null;
        });
    signal.committed();
  }

  @Override
  public Optional<RunState> find(String runId) {
    return read("reading run " + runId, c -> rows.find(c, "id = ?", runId));
  }

  @Override
  public List<RunState> list(RunFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT * FROM run_queue WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (!filter.states().isEmpty()) {
      sql.append(" AND state IN (").append(JdbcQueueRows.states(filter.states())).append(')');
    }
    if (filter.pipeline() != null) {
      sql.append(" AND pipeline = ?");
      params.add(filter.pipeline());
    }
    if (filter.tenant() != null) {
      sql.append(" AND tenant = ?");
      params.add(filter.tenant());
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    params.add(filter.limit());
    return read("listing queued runs", c -> rows.select(c, sql.toString(), params.toArray()));
  }

  @Override
  public QueueStats stats(Instant now) {
    return read("reading queue statistics", c -> new JdbcQueueStats(dialect, rows).read(c, now));
  }

  /** Stops signalling; the connections belong to the store. */
  @Override
  public void close() {
    signal.close();
  }

  private <T> T commit(String what, String runId, boolean signals, SqlWork<T> work) {
    try {
      return commits.run(runId, signals, work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T write(String what, SqlWork<T> work) {
    try {
      return connections.write(work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T read(String what, SqlWork<T> work) {
    try {
      return connections.read(work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private StoreException failure(String what, SQLException e) {
    return new StoreException(what + " failed on " + display + ": " + e.getMessage(), e);
  }
}
