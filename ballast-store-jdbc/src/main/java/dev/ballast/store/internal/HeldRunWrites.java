package dev.ballast.store.internal;

import static dev.ballast.core.queue.QueueState.RUNNING;

import dev.ballast.core.queue.FencedOffException;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.store.internal.GroupCommit.Refused;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The claim and the writes of a lease holder, each as one unit of work for {@link GroupCommit}.
 * Every fenced write starts with one {@code UPDATE ... WHERE id = ? AND state = 'running' AND fence
 * = ? AND lease_until >= ?} whose update count decides; on zero rows the work throws {@link
 * Refused} before it has written anything, so the database, not this process's memory, arbitrates
 * between a paused worker and the one that took its run, and a refusal leaves the rest of a batch
 * alone. No statement here fails in the normal course of things, so none aborts a batch.
 */
final class HeldRunWrites {
  /** The condition of every fenced write: the caller still holds the run. */
  private static final String HELD =
      " WHERE id = ? AND state = 'running' AND fence = ? AND lease_until >= ?";

  private final Dialect dialect;
  private final JdbcQueueRows rows;

  HeldRunWrites(Dialect dialect, JdbcQueueRows rows) {
    this.dialect = dialect;
    this.rows = rows;
  }

  /**
   * One statement picks, locks and takes the next claimable run. On PostgreSQL the subquery locks
   * the chosen row with {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers each get another
   * row; SQLite has a single writer. A running run's {@code available_at} follows its lease, so an
   * expired lease sorts as overdue.
   *
   * <p>With limits, the claim first counts the held runs of the limited pipelines it may take and
   * leaves out those at their limit (the limits invariant of {@code RunQueue}). The count and the
   * claim must not interleave with another claimer's, or two nodes that both see one free place
   * would both take it: SQLite's write transactions are serial already ({@code BEGIN IMMEDIATE});
   * on PostgreSQL the transaction first takes an advisory lock of this schema's queue, which only
   * claims with limits take and which is released at commit. A group-commit batch holding it keeps
   * it until the batch commits; a second claim in the same batch takes it again (it is reentrant)
   * and counts the first one's run, which its transaction sees.
   */
  SqlWork<Optional<Lease>> claim(
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> pipelines,
      Map<String, Integer> limits) {
    limits.forEach(
        (pipeline, limit) -> {
          if (limit == null || limit < 1) {
            throw new IllegalArgumentException(
                "the limit of pipeline " + pipeline + " must be at least 1, but was " + limit);
          }
        });
    Map<String, Integer> relevant = new TreeMap<>();
    limits.forEach(
        (pipeline, limit) -> {
          if (pipelines.isEmpty() || pipelines.contains(pipeline)) {
            relevant.put(pipeline, limit);
          }
        });
    return c -> {
      Set<String> include = pipelines;
      Set<String> exclude = Set.of();
      if (!relevant.isEmpty()) {
        Set<String> full = fullPipelines(c, relevant, now);
        if (pipelines.isEmpty()) {
          exclude = full;
        } else {
          include = new TreeSet<>(pipelines);
          include.removeAll(full);
          if (include.isEmpty()) {
            return Optional.empty();
          }
        }
      }
      return claimAmong(c, workerId, now, leaseFor, include, exclude);
    };
  }

  /** The limited pipelines whose held runs already reach their limit, under the claim lock. */
  private Set<String> fullPipelines(Connection c, Map<String, Integer> limits, Instant now)
      throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.run_queue limits'))");
      }
    }
    String sql =
        "SELECT pipeline, COUNT(*) FROM run_queue WHERE state = 'running' AND lease_until >= ?"
            + " AND pipeline IN ("
            + JdbcQueueRows.placeholders(limits.size())
            + ") GROUP BY pipeline";
    Object[] params = new Object[1 + limits.size()];
    params[0] = now;
    int i = 1;
    for (String pipeline : limits.keySet()) {
      params[i++] = pipeline;
    }
    Set<String> full = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      rows.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(2) >= limits.get(rs.getString(1))) {
            full.add(rs.getString(1));
          }
        }
      }
    }
    return full;
  }

  private Optional<Lease> claimAmong(
      Connection c,
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> include,
      Set<String> exclude)
      throws SQLException {
    Instant until = now.plus(leaseFor);
    String sql = claimSql(include.size(), exclude.size());
    int filters = include.size() + exclude.size();
    Object[] params = new Object[7 + 2 * filters];
    params[0] = workerId;
    params[1] = until;
    params[2] = until;
    params[3] = now;
    params[4] = now;
    int i = filters(params, 5, include, exclude);
    params[i++] = now;
    params[i++] = now;
    filters(params, i, include, exclude);
    Optional<RunState> claimed;
    Instant readyAt = null;
    String statements = dialect == Dialect.POSTGRESQL ? planByIndex(sql) : sql;
    try (PreparedStatement ps = c.prepareStatement(statements)) {
      rows.bind(ps, params);
      try (ResultSet rs = firstResultSet(ps)) {
        claimed = rs.next() ? Optional.of(rows.run(rs)) : Optional.empty();
        if (claimed.isPresent()) {
          readyAt = dialect.instant(rs, "ready_at");
        }
      }
    }
    return claimed.isEmpty()
        ? Optional.empty()
        : Optional.of(rows.lease(c, claimed.get(), readyAt));
  }

  /**
   * {@code query} planned by PostgreSQL as a walk of {@code run_queue_claimable} in claim order
   * that stops at the first unlocked ready row: {@code SET LOCAL} statements before it and their
   * undoing after it (so the batch's other statements plan as usual), sent with it as one round
   * trip. Left to itself, with statistics taken before a burst of submissions (autovacuum analyzes
   * a minute later at best), the planner estimates a dozen ready rows, picks a bitmap scan of every
   * ready run and sorts them all on every claim: milliseconds of CPU per claim at a backlog of a
   * few thousand runs. The server executes the statements in order, so the settings are in force
   * when it plans the query. A failed query aborts the transaction, which discards the settings
   * too.
   */
  static String planByIndex(String query) {
    return settings("off") + query + "; " + settings("DEFAULT");
  }

  private static String settings(String value) {
    return "SET LOCAL enable_bitmapscan TO "
        + value
        + "; SET LOCAL enable_seqscan TO "
        + value
        + "; SET LOCAL enable_sort TO "
        + value
        + "; ";
  }

  /** Executes {@code ps}, several statements maybe, and returns the first result set. */
  static ResultSet firstResultSet(PreparedStatement ps) throws SQLException {
    boolean resultSet = ps.execute();
    while (!resultSet && ps.getUpdateCount() != -1) {
      resultSet = ps.getMoreResults();
    }
    if (!resultSet) {
      throw new SQLException("the statements returned no result set");
    }
    return ps.getResultSet();
  }

  /**
   * The claim statement. SQLite is told to walk the claimable index: left to itself, it picks the
   * index on {@code (state, available_at)} and sorts every ready run on each claim.
   */
  String claimSql(int pipelineCount) {
    return claimSql(pipelineCount, 0);
  }

  private static int filters(Object[] params, int from, Set<String> include, Set<String> exclude) {
    int i = from;
    for (String pipeline : include) {
      params[i++] = pipeline;
    }
    for (String pipeline : exclude) {
      params[i++] = pipeline;
    }
    return i;
  }

  /**
   * The claim statement over {@code included} pipelines (0: any) minus {@code excluded} ones.
   *
   * <p>Take-over first: the first subquery looks for a running run whose lease has lapsed (by
   * priority, then the order the leases lapsed) along the small partial index {@code
   * run_queue_lapsed}; only when there is none (or every one is locked by another claimer) does the
   * second walk {@code run_queue_claimable}. A lapsed run's {@code available_at} is its lease
   * expiry, so in the claimable order alone it would queue behind every run that became ready while
   * it ran: under a backlog, take-over took up to 2.5 leases instead of one lease and a poll.
   * COALESCE evaluates its second argument only when the first is null.
   */
  String claimSql(int included, int excluded) {
    // ready_at = available_at keeps the old value: SET expressions read the row as it was.
    return "UPDATE run_queue SET state = 'running', fence = fence + 1, lease_owner = ?,"
        + " lease_until = ?, ready_at = available_at, available_at = ?,"
        + " attempts = attempts + 1, waiting_on = NULL,"
        + " updated_at = ? WHERE id = COALESCE((SELECT id FROM run_queue"
        + (dialect == Dialect.SQLITE ? " INDEXED BY run_queue_lapsed" : "")
        + " WHERE state = 'running' AND lease_until < ?"
        + pipelineFilter(included, excluded)
        + " ORDER BY priority DESC, lease_until, seq LIMIT 1"
        + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "")
        + "), (SELECT id FROM run_queue"
        + (dialect == Dialect.SQLITE ? " INDEXED BY run_queue_claimable" : "")
        + " WHERE state IN ("
        + JdbcQueueRows.states(QueueState.sourcesOf(RUNNING))
        + ") AND available_at <= ? AND (state <> 'running' OR lease_until < ?)"
        + pipelineFilter(included, excluded)
        + " ORDER BY priority DESC, available_at, seq LIMIT 1"
        + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "")
        + ")) RETURNING *";
  }

  private static String pipelineFilter(int included, int excluded) {
    return (included == 0 ? "" : " AND pipeline IN (" + JdbcQueueRows.placeholders(included) + ")")
        + (excluded == 0
            ? ""
            : " AND pipeline NOT IN (" + JdbcQueueRows.placeholders(excluded) + ")");
  }

  SqlWork<Boolean> heartbeat(String runId, long fence, Instant now, Duration leaseFor) {
    Instant until = now.plus(leaseFor);
    return new CountedWrite<>(
        rows,
        "UPDATE run_queue SET lease_until = ?, available_at = ?, updated_at = ?" + HELD,
        new Object[] {until, until, now, runId, fence, now},
        (c, updated) -> updated == 1);
  }

  /**
   * The holder goes straight on to the next stage, so its claim is that stage's first attempt. On
   * PostgreSQL the advance and the insert are one statement (one round trip in a batch): the insert
   * takes its row from the update, so it writes exactly when the fenced update matched.
   */
  SqlWork<Void> checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now) {
    if (dialect == Dialect.POSTGRESQL) {
      return new CountedWrite<>(
          rows,
          "WITH advanced AS (UPDATE run_queue SET stage_index = stage_index + 1, attempts = 1,"
              + " updated_at = ?"
              + HELD
              + " AND stage_index = ? RETURNING id)"
              + " INSERT INTO run_stage_outputs (run_id, stage_index, stage, output, fence,"
              + " recorded_at) SELECT id, ?, ?, ?, ?, ? FROM advanced",
          new Object[] {
            now, runId, fence, now, stageIndex, stageIndex, stageName, output, fence, now
          },
          (c, inserted) -> {
            if (inserted == 0) {
              throw refusal(c, runId, fence, "checkpoint", now, stageIndex);
            }
            return null;
          });
    }
    return c -> {
      int updated =
          rows.update(
              c,
              "UPDATE run_queue SET stage_index = stage_index + 1, attempts = 1, updated_at = ?"
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
      // The run was at stageIndex under this fence, so no output of that stage exists yet.
      rows.update(
          c,
          "INSERT INTO run_stage_outputs (run_id, stage_index, stage, output, fence, recorded_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          runId,
          stageIndex,
          stageName,
          output,
          fence,
          now);
      return null;
    };
  }

  /** Moves a held run out of {@code running}, dropping its lease; refused unless still held. */
  SqlWork<Void> release(
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
    String sql =
        "UPDATE run_queue SET state = ?, "
            + assignments
            + ", lease_owner = NULL, lease_until = NULL, updated_at = ?"
            + HELD;
    return new CountedWrite<>(
        rows,
        sql,
        params,
        (c, updated) -> {
          if (updated == 0) {
            throw refusal(c, runId, fence, operation, now, -1);
          }
          return null;
        });
  }

  SqlWork<Boolean> recordEffect(
      String runId, long fence, String stage, String effectKey, Instant now) {
    return c -> {
      // Touching the row both checks the fence and locks the row until commit, so no claim
      // can take the run between the check and the insert.
      if (rows.update(c, "UPDATE run_queue SET updated_at = ?" + HELD, now, runId, fence, now)
          == 0) {
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
    };
  }

  /**
   * Why a fenced write matched no row: the caller lost the run, or (checkpoint only) named a stage
   * the run is not at.
   */
  private Refused refusal(
      Connection c, String runId, long fence, String operation, Instant now, int stageIndex)
      throws SQLException {
    Optional<RunState> found = rows.find(c, "id = ?", runId);
    if (found.isEmpty()) {
      return new Refused(new FencedOffException(runId, fence, operation, "no such run"));
    }
    RunState run = found.get();
    String reason;
    if (run.state() != RUNNING) {
      reason = "the run is " + run.state().wireName();
    } else if (run.fence() != fence) {
      reason = "superseded by fence " + run.fence() + " held by " + run.leaseOwner();
    } else if (run.leaseUntil().isBefore(now)) {
      reason = "the lease expired at " + run.leaseUntil();
    } else {
      return new Refused(
          new IllegalStateException(
              "run " + runId + " is at stage " + run.stageIndex() + ", not " + stageIndex));
    }
    return new Refused(new FencedOffException(runId, fence, operation, reason));
  }
}
