package dev.ballast.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ballast.core.Json;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageOutput;
import dev.ballast.core.state.StatePins;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Statements and row mapping of the run queue tables, shared by both dialects. */
final class JdbcQueueRows {
  private final Dialect dialect;

  JdbcQueueRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /** An SQL list of state names, e.g. {@code 'queued', 'waiting'}; states are never user input. */
  static String states(Set<QueueState> states) {
    return states.stream()
        .map(state -> "'" + state.wireName() + "'")
        .sorted()
        .collect(Collectors.joining(", "));
  }

  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      int index = i + 1;
      switch (params[i]) {
        case null -> ps.setNull(index, Types.VARCHAR);
        case Instant at -> dialect.setInstant(ps, index, at);
        case byte[] bytes -> ps.setBytes(index, bytes);
        case String text -> ps.setString(index, text);
        case Integer number -> ps.setInt(index, number);
        case Long number -> ps.setLong(index, number);
        default ->
            throw new IllegalArgumentException("unsupported parameter " + params[i].getClass());
      }
    }
  }

  Optional<RunState> find(Connection c, String where, Object... params) throws SQLException {
    List<RunState> runs = select(c, "SELECT * FROM run_queue WHERE " + where, params);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
  }

  List<RunState> select(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<RunState> runs = new ArrayList<>();
        while (rs.next()) {
          runs.add(run(rs));
        }
        return runs;
      }
    }
  }

  /**
   * The lease of a just claimed run, with the outputs of its completed stages; a run at stage 0 has
   * none, which spares the query.
   */
  /**
   * @param readyAt when the run had become claimable before this claim, or null when unknown
   */
  Lease lease(Connection c, RunState run, Instant readyAt) throws SQLException {
    return new Lease(
        run.runId(),
        run.fence(),
        run.leaseOwner(),
        run.leaseUntil(),
        run.attempts(),
        run.stageIndex(),
        run.pipeline(),
        run.pipelineVersion(),
        run.tenant(),
        run.input(),
        run.stageIndex() == 0 ? List.of() : outputs(c, run.runId()),
        run.pins(),
        readyAt);
  }

  private static List<StageOutput> outputs(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT stage_index, stage, output FROM run_stage_outputs WHERE run_id = ?"
                + " ORDER BY stage_index")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        List<StageOutput> outputs = new ArrayList<>();
        while (rs.next()) {
          outputs.add(new StageOutput(rs.getInt(1), rs.getString(2), rs.getBytes(3)));
        }
        return outputs;
      }
    }
  }

  RunState run(ResultSet rs) throws SQLException {
    return new RunState(
        rs.getString("id"),
        rs.getString("pipeline"),
        rs.getString("pipeline_version"),
        rs.getString("tenant"),
        rs.getInt("priority"),
        rs.getString("idempotency_key"),
        QueueState.parse(rs.getString("state")),
        rs.getInt("stage_index"),
        rs.getInt("attempts"),
        rs.getLong("fence"),
        rs.getString("lease_owner"),
        dialect.instant(rs, "lease_until"),
        dialect.instant(rs, "available_at"),
        rs.getString("waiting_on"),
        rs.getString("failed_stage"),
        rs.getString("error"),
        rs.getBytes("input"),
        rs.getBytes("output"),
        dialect.instant(rs, "enqueued_at"),
        dialect.instant(rs, "updated_at"),
        pins(rs.getString("pins")));
  }

  /** Pins are JSON written by {@link #pinsJson}; a run enqueued before pins existed has none. */
  private static StatePins pins(String json) throws SQLException {
    if (json == null) {
      return StatePins.NONE;
    }
    try {
      return Json.mapper().readValue(json, StatePins.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable pins of a queued run: " + e.getOriginalMessage(), e);
    }
  }

  /** The column value of {@code pins}: null for a run that pins nothing. */
  static String pinsJson(StatePins pins) {
    if (pins == null || pins.equals(StatePins.NONE)) {
      return null;
    }
    try {
      return Json.mapper().writeValueAsString(pins);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("pins cannot be written as JSON", e);
    }
  }
}
