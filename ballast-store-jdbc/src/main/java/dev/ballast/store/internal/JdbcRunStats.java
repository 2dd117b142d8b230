package dev.ballast.store.internal;

import dev.ballast.core.stats.StatsBucket;
import dev.ballast.core.stats.StatsDimension;
import dev.ballast.core.stats.StatsQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time-series statistics computed in the database: per model group from the run summaries, per
 * deployment from the attempt rows. Each is two grouped scans of the window (counts by outcome,
 * then percentiles), so what leaves the database is one row per bucket, series and outcome.
 */
final class JdbcRunStats {
  private static final String GATEWAY_RUNS = "coalesce(kind, '') <> 'pipeline'";

  private final Dialect dialect;
  private final StatsSql sql;

  JdbcRunStats(Dialect dialect) {
    this.dialect = dialect;
    this.sql = new StatsSql(dialect);
  }

  List<StatsBucket> read(Connection c, StatsQuery query) throws SQLException {
    Map<String, Acc> buckets = new LinkedHashMap<>();
    if (query.dimension() == StatsDimension.GROUP) {
      groupCounts(c, query, buckets);
      percentiles(c, query, buckets, groupLatencySql(query), false);
      percentiles(c, query, buckets, groupTtftSql(query), true);
    } else {
      deploymentCounts(c, query, buckets);
      percentiles(c, query, buckets, deploymentLatencySql(query), false);
      percentiles(c, query, buckets, deploymentTtftSql(query), true);
    }
    List<StatsBucket> out = new ArrayList<>(buckets.size());
    buckets.values().forEach(a -> out.add(a.bucket()));
    return out;
  }

  private String window(StatsQuery query, String column) {
    return column
        + " >= ? AND "
        + column
        + " < ?"
        + (query.tenant() == null ? "" : " AND tenant = ?");
  }

  private void groupCounts(Connection c, StatsQuery query, Map<String, Acc> buckets)
      throws SQLException {
    String text =
        "SELECT "
            + sql.bucket("started_at")
            + " AS b, coalesce(model, '') AS series, status, error_class, count(*) AS n,"
            + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
            + " sum(cost) AS cost FROM runs WHERE "
            + window(query, "started_at")
            + " AND "
            + GATEWAY_RUNS
            + " GROUP BY 1, 2, 3, 4";
    query(
        c,
        text,
        query,
        rs -> {
          String status = rs.getString("status");
          String outcome =
              switch (status) {
                case "succeeded" -> StatsBucket.OK;
                case "running" -> StatsBucket.RUNNING;
                default ->
                    rs.getString("error_class") == null ? status : rs.getString("error_class");
              };
          acc(buckets, rs).count(outcome, rs);
        });
  }

  private void deploymentCounts(Connection c, StatsQuery query, Map<String, Acc> buckets)
      throws SQLException {
    String text =
        "SELECT "
            + sql.bucket("at")
            + " AS b, deployment AS series, outcome, count(*) AS n,"
            + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
            + " sum(cost) AS cost FROM provider_attempts WHERE "
            + window(query, "at")
            + " GROUP BY 1, 2, 3";
    query(c, text, query, rs -> acc(buckets, rs).count(rs.getString("outcome"), rs));
  }

  private String groupLatencySql(StatsQuery query) {
    return percentileSql(
        "SELECT "
            + sql.bucket("started_at")
            + " AS b, coalesce(model, '') AS series, "
            + sql.millisBetween("started_at", "ended_at")
            + " AS v FROM runs WHERE "
            + window(query, "started_at")
            + " AND ended_at IS NOT NULL AND "
            + GATEWAY_RUNS);
  }

  /** Time to first token of the answering attempts of streamed runs, per group. */
  private String groupTtftSql(StatsQuery query) {
    return percentileSql(
        "SELECT "
            + sql.bucket("at")
            + " AS b, coalesce(model, '') AS series, ttft_ms AS v FROM provider_attempts WHERE "
            + window(query, "at")
            + " AND ttft_ms IS NOT NULL AND outcome = 'ok'");
  }

  private String deploymentLatencySql(StatsQuery query) {
    return percentileSql(
        "SELECT "
            + sql.bucket("at")
            + " AS b, deployment AS series, latency_ms AS v FROM provider_attempts WHERE "
            + window(query, "at"));
  }

  private String deploymentTtftSql(StatsQuery query) {
    return percentileSql(
        "SELECT "
            + sql.bucket("at")
            + " AS b, deployment AS series, ttft_ms AS v FROM provider_attempts WHERE "
            + window(query, "at")
            + " AND ttft_ms IS NOT NULL");
  }

  private String percentileSql(String values) {
    return "SELECT b, series, "
        + sql.percentile("v", 50)
        + " AS p50, "
        + sql.percentile("v", 99)
        + " AS p99 FROM ("
        + values
        + ") AS v GROUP BY b, series";
  }

  private void percentiles(
      Connection c, StatsQuery query, Map<String, Acc> buckets, String text, boolean ttft)
      throws SQLException {
    query(
        c,
        text,
        query,
        rs -> {
          Acc acc = acc(buckets, rs);
          double p50 = rs.getDouble("p50");
          Double median = rs.wasNull() ? null : p50;
          double p99 = rs.getDouble("p99");
          Double tail = rs.wasNull() ? null : p99;
          if (ttft) {
            acc.ttftP50 = median;
            acc.ttftP99 = tail;
          } else {
            acc.latencyP50 = median;
            acc.latencyP99 = tail;
          }
        });
  }

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private void query(Connection c, String text, StatsQuery query, RowHandler handler)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(text)) {
      int i = sql.bindBucket(ps, 1, query);
      dialect.setInstant(ps, i++, query.since());
      dialect.setInstant(ps, i++, query.until());
      if (query.tenant() != null) {
        ps.setString(i, query.tenant());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }

  private static Acc acc(Map<String, Acc> buckets, ResultSet rs) throws SQLException {
    int index = rs.getInt("b");
    String series = rs.getString("series");
    return buckets.computeIfAbsent(index + "\u0000" + series, k -> new Acc(index, series));
  }

  /** One bucket and series being put together from the grouped rows. */
  private static final class Acc {
    final int index;
    final String series;
    final Map<String, Long> outcomes = new HashMap<>();
    long requests;
    long inputTokens;
    long outputTokens;
    double cost;
    Double latencyP50;
    Double latencyP99;
    Double ttftP50;
    Double ttftP99;

    Acc(int index, String series) {
      this.index = index;
      this.series = series;
    }

    void count(String outcome, ResultSet rs) throws SQLException {
      long n = rs.getLong("n");
      requests += n;
      outcomes.merge(outcome, n, Long::sum);
      inputTokens += rs.getLong("input_tokens");
      outputTokens += rs.getLong("output_tokens");
      cost += rs.getDouble("cost");
    }

    StatsBucket bucket() {
      return new StatsBucket(
          index,
          series,
          requests,
          outcomes,
          latencyP50,
          latencyP99,
          ttftP50,
          ttftP99,
          inputTokens,
          outputTokens,
          cost);
    }
  }
}
