package dev.ballast.store.internal;

import dev.ballast.core.stats.SpendQuery;
import dev.ballast.core.stats.SpendRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend per tenant, key, model group or pipeline, in one grouped scan of the window's provider
 * attempts (the {@code (at)} or {@code (tenant, at)} index): the attempts carry each call's tokens
 * and cost, failed attempts a provider bills included, so the report adds up to the bill. Per key
 * and per pipeline, each attempt finds its run by primary key; nothing else is joined.
 */
final class JdbcSpend {
  private final Dialect dialect;

  JdbcSpend(Dialect dialect) {
    this.dialect = dialect;
  }

  List<SpendRow> read(Connection c, SpendQuery query) throws SQLException {
    List<SpendRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql(query))) {
      dialect.setInstant(ps, 1, query.since());
      dialect.setInstant(ps, 2, query.until());
      if (query.tenant() != null) {
        ps.setString(3, query.tenant());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new SpendRow(
                  rs.getString("g"),
                  rs.getLong("requests"),
                  rs.getLong("input_tokens"),
                  rs.getLong("output_tokens"),
                  rs.getDouble("cost")));
        }
      }
    }
    return rows;
  }

  private String sql(SpendQuery query) {
    String group;
    String join;
    switch (query.groupBy()) {
      case TENANT -> {
        group = "a.tenant";
        join = "";
      }
      case MODEL -> {
        group = "a.model";
        join = "";
      }
      case KEY -> {
        group = "r.key_id";
        join = " LEFT JOIN runs r ON r.id = a.run_id";
      }
      case PIPELINE -> {
        // A stage's call is journaled as run RUN/STAGE/ATTEMPT@FENCE; RUN is the pipeline run,
        // whose operation is the pipeline's name.
        group = "p.operation";
        join = " LEFT JOIN runs p ON p.kind = 'pipeline' AND p.id = " + pipelineRun("a.run_id");
      }
      default -> throw new IllegalArgumentException("unknown group " + query.groupBy());
    }
    return "SELECT "
        + group
        + " AS g, count(DISTINCT a.run_id) AS requests, sum(a.input_tokens) AS input_tokens,"
        + " sum(a.output_tokens) AS output_tokens, sum(a.cost) AS cost"
        + " FROM provider_attempts a"
        + join
        + " WHERE a.at >= ? AND a.at < ?"
        + (query.tenant() == null ? "" : " AND a.tenant = ?")
        + " GROUP BY "
        + group;
  }

  /** The run id before the first {@code /}; null for an id without one. */
  private String pipelineRun(String column) {
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
}
