package dev.ballast.store.internal;

import static dev.ballast.core.queue.QueueState.QUEUED;
import static dev.ballast.core.queue.QueueState.RUNNING;
import static dev.ballast.core.queue.QueueState.SUCCEEDED;
import static dev.ballast.core.queue.QueueState.WAITING;

import dev.ballast.core.queue.FencedOffException;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The run queue over JDBC, shared by SQLite and PostgreSQL. Every fenced write is one {@code UPDATE
 * ... WHERE id = ? AND fence = ? AND lease_until >= ?} whose update count decides, so the database,
 * not this process's memory, arbitrates between a paused worker and the one that took its run.
 * Claims lock the chosen row with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL; on SQLite they run
 * in the single writer's transaction.
 */
final class JdbcRunQueue implements RunQueue {
  /** The condition of every fenced write: the caller still holds the run. */
  private static final String HELD =
      " WHERE id = ? AND state = 'running' AND fence = ? AND lease_until >= ?";

  private final Dialect dialect;
  private final Connections connections;
  private final String display;
  private final JdbcQueueRows rows;

  JdbcRunQueue(Dialect dialect, Connections connections, String display) {
    this.dialect = dialect;
    this.connections = connections;
    this.display = display;
    this.rows = new JdbcQueueRows(dialect);
  }

  @Override
  public QueuedRun enqueue(NewRun run, Instant now) {
    return write(
        "enqueueing run " + run.runId(),
        c -> {
          int inserted =
              rows.update(
                  c,
                  "INSERT INTO run_queue (id, pipeline, pipeline_version, tenant, priority,"
                      + " idempotency_key, state, available_at, input, enqueued_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  run.runId(),
                  run.pipeline(),
                  run.pipelineVersion(),
                  run.tenant(),
                  run.priority(),
                  run.idempotencyKey(),
                  run.availableAt(),
                  run.input(),
                  now,
                  now);
          return new QueuedRun(existing(c, run), inserted == 1);
        });
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
      String workerId, Instant now, Duration leaseFor, Set<String> pipelines) {
    Instant until = now.plus(leaseFor);
    return write(
        "claiming a run",
        c -> {
          Optional<String> runId = claimable(c, now, pipelines);
          if (runId.isEmpty()) {
            return Optional.empty();
          }
          // A running run's available_at follows its lease, so an expired lease sorts as overdue.
          rows.update(
              c,
              "UPDATE run_queue SET state = 'running', fence = fence + 1, lease_owner = ?,"
                  + " lease_until = ?, available_at = ?, attempts = attempts + 1,"
                  + " waiting_on = NULL, updated_at = ? WHERE id = ?",
              workerId,
              until,
              until,
              now,
              runId.get());
          return Optional.of(rows.lease(c, runId.get()));
        });
  }

  private Optional<String> claimable(Connection c, Instant now, Set<String> pipelines)
      throws SQLException {
    String sql =
        "SELECT id FROM run_queue WHERE state IN ("
            + JdbcQueueRows.states(QueueState.sourcesOf(RUNNING))
            + ") AND available_at <= ? AND (state <> 'running' OR lease_until < ?)"
            + (pipelines.isEmpty()
                ? ""
                : " AND pipeline IN (" + JdbcQueueRows.placeholders(pipelines.size()) + ")")
            + " ORDER BY priority DESC, available_at, seq LIMIT 1"
            + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
    Object[] params = new Object[2 + pipelines.size()];
    params[0] = now;
    params[1] = now;
    int i = 2;
    for (String pipeline : pipelines) {
      params[i++] = pipeline;
    }
    try (var ps = c.prepareStatement(sql)) {
      rows.bind(ps, params);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  @Override
  public boolean heartbeat(String runId, long fence, Instant now, Duration leaseFor) {
    Instant until = now.plus(leaseFor);
    return write(
        "extending the lease of run " + runId,
        c ->
            rows.update(
                    c,
                    "UPDATE run_queue SET lease_until = ?, available_at = ?, updated_at = ?" + HELD,
                    until,
                    until,
                    now,
                    runId,
                    fence,
                    now)
                == 1);
  }

  @Override
  public void checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now) {
    write(
        "checkpointing stage " + stageIndex + " of run " + runId,
        c -> {
          // The holder goes straight on to the next stage, so this claim is its first attempt.
          int updated =
              rows.update(
                  c,
                  "UPDATE run_queue SET stage_index = stage_index + 1, attempts = 1,"
                      + " updated_at = ?"
                      + HELD
                      + " AND stage_index = ?",
                  now,
                  runId,
                  fence,
                  now,
                  stageIndex);
          if (updated == 0) {
            throw refusal(c, runId, fence, "checkpoint", now, stageIndex);
          }
          rows.update(
              c,
              "INSERT INTO run_stage_outputs (run_id, stage_index, stage, output, fence,"
                  + " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
              runId,
              stageIndex,
              stageName,
              output,
              fence,
              now);
          return null;
        });
  }

  @Override
  public void complete(String runId, long fence, byte[] output, Instant now) {
    release(runId, fence, "complete", now, SUCCEEDED, "output = ?, available_at = ?", output, now);
  }

  @Override
  public void fail(String runId, long fence, StageFailure failure, Instant now) {
    Instant availableAt = failure.retryAt() == null ? now : failure.retryAt();
    release(
        runId,
        fence,
        "fail",
        now,
        failure.next(),
        "failed_stage = ?, error = ?, available_at = ?",
        failure.stage(),
        failure.error(),
        availableAt);
  }

  @Override
  public void park(String runId, long fence, String dependency, Instant until, Instant now) {
    // The claim that parks never ran the stage, so it gives its attempt back.
    release(
        runId,
        fence,
        "park",
        now,
        WAITING,
        "waiting_on = ?, available_at = ?, attempts = attempts - 1",
        dependency,
        until);
  }

  /** Moves a held run out of {@code running}, dropping its lease; refused unless still held. */
  private void release(
      String runId,
      long fence,
      String operation,
      Instant now,
      QueueState target,
      String assignments,
      Object... values) {
    if (!RUNNING.canMoveTo(target) || target == RUNNING) {
      throw new IllegalArgumentException("a held run cannot move to " + target.wireName());
    }
    Object[] params = new Object[values.length + 5];
    params[0] = target.wireName();
    System.arraycopy(values, 0, params, 1, values.length);
    params[values.length + 1] = now;
    params[values.length + 2] = runId;
    params[values.length + 3] = fence;
    params[values.length + 4] = now;
    write(
        operation + " of run " + runId,
        c -> {
          int updated =
              rows.update(
                  c,
                  "UPDATE run_queue SET state = ?, "
                      + assignments
                      + ", lease_owner = NULL, lease_until = NULL, updated_at = ?"
                      + HELD,
                  params);
          if (updated == 0) {
            throw refusal(c, runId, fence, operation, now, -1);
          }
          return null;
        });
  }

  @Override
  public int wake(String dependency, Instant now) {
    return write(
        "waking runs parked on " + dependency,
        c ->
            rows.update(
                c,
                "UPDATE run_queue SET available_at = ?, updated_at = ?"
                    + " WHERE state = 'waiting' AND waiting_on = ? AND available_at > ?",
                now,
                now,
                dependency,
                now));
  }

  @Override
  public boolean resume(String runId, Instant now) {
    return write(
        "resuming run " + runId,
        c ->
            rows.update(
                    c,
                    "UPDATE run_queue SET state = 'queued', attempts = 0, available_at = ?,"
                        + " updated_at = ? WHERE id = ? AND state IN ("
                        + JdbcQueueRows.states(QueueState.sourcesOf(QUEUED))
                        + ")",
                    now,
                    now,
                    runId)
                == 1);
  }

  @Override
  public boolean recordEffect(
      String runId, long fence, String stage, String effectKey, Instant now) {
    return write(
        "recording effect " + effectKey + " of run " + runId,
        c -> {
          // Touching the row both checks the fence and locks the row until commit, so no claim
          // can take the run between the check and the insert.
          int held =
              rows.update(c, "UPDATE run_queue SET updated_at = ?" + HELD, now, runId, fence, now);
          if (held == 0) {
            throw refusal(c, runId, fence, "recordEffect", now, -1);
          }
          return rows.update(
                  c,
                  "INSERT INTO run_effects (run_id, stage, effect_key, fence, recorded_at)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  runId,
                  stage,
                  effectKey,
                  fence,
                  now)
              == 1;
        });
  }

  /**
   * Why a fenced write matched no row: the caller lost the run, or (checkpoint only) named a stage
   * the run is not at.
   */
  private RuntimeException refusal(
      Connection c, String runId, long fence, String operation, Instant now, int stageIndex)
      throws SQLException {
    Optional<RunState> found = rows.find(c, "id = ?", runId);
    if (found.isEmpty()) {
      return new FencedOffException(runId, fence, operation, "no such run");
    }
    RunState run = found.get();
    if (run.state() != RUNNING) {
      return new FencedOffException(
          runId, fence, operation, "the run is " + run.state().wireName());
    }
    if (run.fence() != fence) {
      return new FencedOffException(
          runId,
          fence,
          operation,
          "superseded by fence " + run.fence() + " held by " + run.leaseOwner());
    }
    if (run.leaseUntil().isBefore(now)) {
      return new FencedOffException(
          runId, fence, operation, "the lease expired at " + run.leaseUntil());
    }
    return new IllegalStateException(
        "run " + runId + " is at stage " + run.stageIndex() + ", not " + stageIndex);
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
