package dev.ballast.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.journal.RunCursor;
import dev.ballast.core.journal.RunQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page of the run list deep in a million runs costs what the first page costs only if SQLite
 * seeks on an index that ends in {@code (started_at, id)} and walks it backwards: a temporary
 * B-tree would sort every matching run on each page.
 */
class SqliteRunListPlanTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"", "acme"})
  void aPageAfterACursorWalksAnIndexWithoutSorting(String tenant) throws SQLException {
    DataSource dataSource = SqliteConnections.dataSource("jdbc:sqlite:" + dir.resolve("r.db"));
    Flyway.configure(getClass().getClassLoader())
        .dataSource(dataSource)
        .locations(Dialect.SQLITE.migrations())
        .load()
        .migrate();
    RunQuery query =
        new RunQuery(tenant.isEmpty() ? null : tenant, null, null, null, null, null, 50)
            .withAfter(new RunCursor(Instant.parse("2026-01-01T00:00:00Z"), "run_x"));
    RunQuerySql sql = new RunQuerySql(Dialect.SQLITE, query);

    List<String> plan = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql.sql())) {
      sql.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString("detail"));
        }
      }
    }

    assertThat(plan).anyMatch(step -> step.contains("started_at_id"));
    assertThat(plan).noneMatch(step -> step.contains("TEMP B-TREE"));
  }
}
