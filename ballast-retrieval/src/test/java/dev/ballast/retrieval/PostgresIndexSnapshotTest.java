package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Index snapshots against PostgreSQL, each database a schema of its own (skipped when PostgreSQL is
 * unreachable, failed under CI=true).
 */
class PostgresIndexSnapshotTest extends IndexSnapshotContract {
  private static String jdbcUrl;
  private final List<String> schemas = new ArrayList<>();

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected DocumentStore newStore() {
    String schema =
        "ballast_snap_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    schemas.add(schema);
    return (DocumentStore) Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @AfterEach
  void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
