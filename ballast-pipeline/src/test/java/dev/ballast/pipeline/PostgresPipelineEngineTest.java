package dev.ballast.pipeline;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;

/** The engine on PostgreSQL, each test in a schema of its own. */
class PostgresPipelineEngineTest extends PipelineEngineContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = "ballast_e_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @Override
  protected void afterStoreClosed() throws SQLException {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(jdbcUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
