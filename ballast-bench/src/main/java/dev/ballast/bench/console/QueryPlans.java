package dev.ballast.bench.console;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plans the database chooses for the console's run list and statistics at the benchmark's size,
 * so that a reader sees the index seeks (and a regression shows up as a scan or a sort).
 */
final class QueryPlans {
  private final String backend;
  private final String storeUrl;
  private final Path dir;

  QueryPlans(String backend, String storeUrl, Path dir) {
    this.backend = backend;
    this.storeUrl = storeUrl;
    this.dir = dir;
  }

  Map<String, List<String>> explain(Instant end) throws SQLException {
    Map<String, List<String>> plans = new LinkedHashMap<>();
    boolean sqlite = backend.equals("sqlite");
    String cursorTime =
        sqlite
            ? String.valueOf(ChronoUnit.MICROS.between(Instant.EPOCH, end.minusSeconds(300_000)))
            : "'" + end.minusSeconds(300_000) + "'::timestamptz";
    String weekAgo =
        sqlite
            ? String.valueOf(ChronoUnit.MICROS.between(Instant.EPOCH, end.minusSeconds(7 * 86400)))
            : "'" + end.minusSeconds(7 * 86400) + "'::timestamptz";
    String now =
        sqlite
            ? String.valueOf(ChronoUnit.MICROS.between(Instant.EPOCH, end))
            : "'" + end + "'::timestamptz";
    plans.put(
        "runs page after a cursor, all tenants",
        plan(
            "SELECT * FROM runs WHERE (started_at, id) < ("
                + cursorTime
                + ", 'run_x') ORDER BY started_at DESC, id DESC LIMIT 51"));
    plans.put(
        "runs page after a cursor, one tenant",
        plan(
            "SELECT * FROM runs WHERE tenant = 't0' AND (started_at, id) < ("
                + cursorTime
                + ", 'run_x') ORDER BY started_at DESC, id DESC LIMIT 51"));
    plans.put(
        "stats by deployment over 7 days (counts)",
        plan(
            "SELECT deployment, outcome, count(*), sum(cost) FROM provider_attempts WHERE at >= "
                + weekAgo
                + " AND at < "
                + now
                + " GROUP BY 1, 2"));
    return plans;
  }

  private List<String> plan(String sql) throws SQLException {
    boolean sqlite = backend.equals("sqlite");
    String jdbc;
    if (sqlite) {
      jdbc = "jdbc:sqlite:" + dir.resolve("ballast.db");
    } else {
      int q = storeUrl.indexOf("&schema=");
      jdbc = "jdbc:" + storeUrl.substring(0, q) + "&currentSchema=" + storeUrl.substring(q + 8);
    }
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, COSTS OFF) ") + sql)) {
      while (rs.next()) {
        lines.add(sqlite ? rs.getString("detail") : rs.getString(1));
      }
    }
    return lines;
  }
}
