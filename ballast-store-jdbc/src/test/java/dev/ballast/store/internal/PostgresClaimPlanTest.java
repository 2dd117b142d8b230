package dev.ballast.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: with statistics taken while the queue was small (a fresh schema, or just before a
 * burst of submissions; autovacuum analyzes a minute later at best), PostgreSQL planned the claim
 * as a bitmap scan of every ready run followed by a sort of all of them, on every claim: 5 to 10 ms
 * of CPU per claim at 8,000 queued runs, which capped the queue at a few hundred runs/s. The claim
 * must walk {@code run_queue_claimable} in claim order and stop at the first free row.
 */
class PostgresClaimPlanTest {
  @TempDir Path dir;

  @Test
  void aClaimWalksTheClaimableIndexEvenWithStatisticsFromAnEmptyQueue() throws SQLException {
    String base = Postgres.requireAvailable();
    String schema =
        "ballast_plan_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    try (Store store = Stores.open(base + "&schema=" + schema, dir)) {
      // Migrated; the planner's statistics still describe an empty table.
    }
    try (Connection c = DriverManager.getConnection(base + "&currentSchema=" + schema)) {
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE run_queue");
        s.execute(
            "INSERT INTO run_queue (id, pipeline, pipeline_version, tenant, priority, state,"
                + " available_at, input, enqueued_at, updated_at)"
                + " SELECT 'prun_' || g, 'noop3', 'v1', 'acme', 0, 'queued', now(), '\\x00',"
                + " now(), now() FROM generate_series(1, 8000) g");
      }
      String claim =
          new HeldRunWrites(Dialect.POSTGRESQL, new JdbcQueueRows(Dialect.POSTGRESQL))
              .claimSql(1)
              .replaceFirst("\\?", "'w'")
              .replaceFirst("\\?", "now() + interval '30 seconds'")
              .replaceFirst("\\?", "now() + interval '30 seconds'")
              .replaceAll("\\?", "now()")
              .replace("pipeline IN (now())", "pipeline IN ('noop3')");

      c.setAutoCommit(false);
      // As the claim is sent: settings, query and reset in one round trip.
      List<String> plan = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement(HeldRunWrites.planByIndex("EXPLAIN " + claim));
          ResultSet rs = HeldRunWrites.firstResultSet(ps)) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      String sortAfter;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_setting('enable_sort')")) {
        rs.next();
        sortAfter = rs.getString(1);
      }
      c.rollback();

      assertThat(plan)
          .as(String.join("\n", plan))
          .anyMatch(step -> step.contains("Index Scan using run_queue_claimable"))
          .anyMatch(step -> step.contains("Index Scan using run_queue_lapsed"));
      assertThat(plan).noneMatch(step -> step.contains("Sort"));
      assertThat(plan).noneMatch(step -> step.contains("Bitmap"));
      assertThat(sortAfter).as("the rest of the transaction plans as usual").isEqualTo("on");
    } finally {
      Postgres.dropSchema(base, schema);
    }
  }
}
