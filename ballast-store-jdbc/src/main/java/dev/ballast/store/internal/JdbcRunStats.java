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
 * deployment from the attempt rows. Each reads the window once for counts, tokens, cost and
 * percentiles, and reads only the failures (and, per group, the streamed attempts) again on partial
 * indexes, so what leaves the database is one row per bucket and series, plus one per error class.
 */
final class JdbcRunStats {
  /** Model calls: neither pipeline runs nor Watch's alerts (runs of kind {@code watch}). */
  private static final String GATEWAY_RUNS = "coalesce(kind, '') NOT IN ('pipeline', 'watch')";

  private final Dialect dialect;
  private final StatsSql sql;

  JdbcRunStats(Dialect dialect) {
    this.dialect = dialect;
    this.sql = new StatsSql(dialect);
  }

  List<StatsBucket> read(Connection c, StatsQuery query) throws SQLException {
    Map<String, Acc> buckets = new LinkedHashMap<>();
    if (query.dimension() == StatsDimension.GROUP) {
      query(c, groupSql(query), query, rs -> acc(buckets, rs).totals(rs));
      query(c, groupErrorsSql(query), query, rs -> acc(buckets, rs).errors(rs));
      query(c, groupTtftSql(query), query, rs -> acc(buckets, rs).ttft(rs));
    } else {
      query(c, deploymentSql(query), query, rs -> acc(buckets, rs).totals(rs).ttft(rs));
      query(c, deploymentErrorsSql(query), query, rs -> acc(buckets, rs).errors(rs));
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

  /**
   * One scan of the window's runs: counts, tokens, cost and latency percentiles per bucket and
   * group. A run still running has no end, so no latency, and percentiles skip it.
   */
  private String groupSql(StatsQuery query) {
    String latency = sql.millisBetween("started_at", "ended_at");
    return "SELECT "
        + sql.bucket("started_at")
        + " AS b, coalesce(model, '') AS series, count(*) AS n,"
        + " sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS ok,"
        + " sum(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS running,"
        + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
        + " sum(cost) AS cost, "
        + sql.percentile(latency, 50)
        + " AS p50, "
        + sql.percentile(latency, 99)
        + " AS p99 FROM runs WHERE "
        + window(query, "started_at")
        + " AND "
        + GATEWAY_RUNS
        + " GROUP BY 1, 2";
  }

  /** The failed runs by error class: a narrow range of the {@code (status, started_at)} index. */
  private String groupErrorsSql(StatsQuery query) {
    return "SELECT "
        + sql.bucket("started_at")
        + " AS b, coalesce(model, '') AS series, coalesce(error_class, status) AS outcome,"
        + " count(*) AS n FROM runs WHERE status IN ('failed', 'dead') AND "
        + window(query, "started_at")
        + " AND "
        + GATEWAY_RUNS
        + " GROUP BY 1, 2, 3";
  }

  /**
   * Time to first token of the answering attempts of streamed runs, per group: only streamed
   * attempts are read, on the partial index of those with a time to first token.
   */
  private String groupTtftSql(StatsQuery query) {
    return "SELECT "
        + sql.bucket("at")
        + " AS b, coalesce(model, '') AS series, "
        + sql.percentile("ttft_ms", 50)
        + " AS ttft_p50, "
        + sql.percentile("ttft_ms", 99)
        + " AS ttft_p99 FROM provider_attempts WHERE ttft_ms IS NOT NULL AND "
        + window(query, "at")
        + " AND outcome = 'ok' GROUP BY 1, 2";
  }

  /** One scan of the window's attempts: counts, tokens, cost, latency and TTFT percentiles. */
  private String deploymentSql(StatsQuery query) {
    return "SELECT "
        + sql.bucket("at")
        + " AS b, deployment AS series, count(*) AS n,"
        + " sum(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END) AS ok, 0 AS running,"
        + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
        + " sum(cost) AS cost, "
        + sql.percentile("latency_ms", 50)
        + " AS p50, "
        + sql.percentile("latency_ms", 99)
        + " AS p99, "
        + sql.percentile("ttft_ms", 50)
        + " AS ttft_p50, "
        + sql.percentile("ttft_ms", 99)
        + " AS ttft_p99 FROM provider_attempts WHERE "
        + window(query, "at")
        + " GROUP BY 1, 2";
  }

  /** The failed attempts by error class, on the partial index of attempts that failed. */
  private String deploymentErrorsSql(StatsQuery query) {
    return "SELECT "
        + sql.bucket("at")
        + " AS b, deployment AS series, outcome, count(*) AS n FROM provider_attempts"
        + " WHERE outcome <> 'ok' AND "
        + window(query, "at")
        + " GROUP BY 1, 2, 3";
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

    Acc totals(ResultSet rs) throws SQLException {
      requests += rs.getLong("n");
      long ok = rs.getLong("ok");
      long running = rs.getLong("running");
      if (ok > 0) {
        outcomes.merge(StatsBucket.OK, ok, Long::sum);
      }
      if (running > 0) {
        outcomes.merge(StatsBucket.RUNNING, running, Long::sum);
      }
      inputTokens += rs.getLong("input_tokens");
      outputTokens += rs.getLong("output_tokens");
      cost += rs.getDouble("cost");
      latencyP50 = nullable(rs, "p50");
      latencyP99 = nullable(rs, "p99");
      return this;
    }

    void errors(ResultSet rs) throws SQLException {
      outcomes.merge(rs.getString("outcome"), rs.getLong("n"), Long::sum);
    }

    void ttft(ResultSet rs) throws SQLException {
      ttftP50 = nullable(rs, "ttft_p50");
      ttftP99 = nullable(rs, "ttft_p99");
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
      double value = rs.getDouble(column);
      return rs.wasNull() ? null : value;
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
