package dev.ballast.store.internal;

import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spend per tenant, key, model group or pipeline in two grouped scans of narrow rows, neither of
 * which counts distinct values (the expensive part of the first version, 10× the scan on a million
 * attempts): the window's provider attempts (the {@code (at)} or {@code (tenant, at)} index) for
 * tokens and cost, failed attempts a provider bills included, so the report adds up to the bill;
 * and the window's model-call runs (the {@code (started_at, id)} indexes) for the requests. Tenant,
 * model and key are copied onto each attempt row; per pipeline, each row finds its pipeline run by
 * primary key.
 */
final class JdbcSpend {
  /** Model calls: neither pipeline runs nor Watch's alerts, which are runs too. */
  private static final String MODEL_CALLS = "coalesce(r.kind, '') NOT IN ('pipeline', 'watch')";

  private final Dialect dialect;

  JdbcSpend(Dialect dialect) {
    this.dialect = dialect;
  }

  List<SpendRow> read(Connection c, SpendQuery query) throws SQLException {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, Double> costs = new LinkedHashMap<>();
    scan(
        c,
        attemptsSql(query),
        query,
        rs -> {
          long[] n = counts.computeIfAbsent(rs.getString("g"), k -> new long[3]);
          n[1] += rs.getLong("input_tokens");
          n[2] += rs.getLong("output_tokens");
          costs.merge(rs.getString("g"), rs.getDouble("cost"), Double::sum);
        });
    scan(
        c,
        runsSql(query),
        query,
        rs -> counts.computeIfAbsent(rs.getString("g"), k -> new long[3])[0] += rs.getLong("n"));
    List<SpendRow> rows = new ArrayList<>(counts.size());
    counts.forEach(
        (group, n) ->
            rows.add(new SpendRow(group, n[0], n[1], n[2], costs.getOrDefault(group, 0d))));
    return rows;
  }

  private String attemptsSql(SpendQuery query) {
    String group = group(query, "a");
    return "SELECT "
        + group
        + " AS g, sum(a.input_tokens) AS input_tokens, sum(a.output_tokens) AS output_tokens,"
        + " sum(a.cost) AS cost FROM provider_attempts a"
        + pipelineJoin(query, "a.run_id")
        + " WHERE a.at >= ? AND a.at < ?"
        + (query.tenant() == null ? "" : " AND a.tenant = ?")
        + " GROUP BY "
        + group;
  }

  /** The model calls started in the window: refused ones (no attempt) are requests too. */
  private String runsSql(SpendQuery query) {
    String group = group(query, "r");
    return "SELECT "
        + group
        + " AS g, count(*) AS n FROM runs r"
        + pipelineJoin(query, "r.id")
        + " WHERE r.started_at >= ? AND r.started_at < ?"
        + (query.tenant() == null ? "" : " AND r.tenant = ?")
        + " AND "
        + MODEL_CALLS
        + " GROUP BY "
        + group;
  }

  private static String group(SpendQuery query, String table) {
    return switch (query.groupBy()) {
      case TENANT -> table + ".tenant";
      case MODEL -> table + ".model";
      case KEY -> table + ".key_id";
      case PIPELINE -> "p.operation";
    };
  }

  /**
   * A stage's call is journaled as run RUN/STAGE/ATTEMPT@FENCE; RUN is the pipeline run, whose
   * operation is the pipeline's name.
   */
  private String pipelineJoin(SpendQuery query, String runId) {
    return switch (query.groupBy()) {
      case PIPELINE -> " LEFT JOIN runs p ON p.kind = 'pipeline' AND p.id = " + beforeSlash(runId);
      default -> "";
    };
  }

  /** The run id before the first {@code /}; null for an id without one. */
  private String beforeSlash(String column) {
    return switch (dialect) {
      case SQLITE ->
          "(CASE WHEN instr("
              + column
              + ", '/') > 0 THEN substr("
              + column
              + ", 1, instr("
              + column
              + ", '/') - 1) END)";
      case POSTGRESQL ->
          "(CASE WHEN strpos(" + column + ", '/') > 0 THEN split_part(" + column + ", '/', 1) END)";
    };
  }

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private void scan(Connection c, String sql, SpendQuery query, RowHandler handler)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      dialect.setInstant(ps, 1, query.since());
      dialect.setInstant(ps, 2, query.until());
      if (query.tenant() != null) {
        ps.setString(3, query.tenant());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }
}
