package dev.ballast.store;

import dev.ballast.core.spi.JournalStore;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.RunStatsContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The console's reads against a real PostgreSQL, each test in a schema of its own. */
class PostgresRunStatsTest extends RunStatsContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected JournalStore newStore() {
    schema = "ballast_t_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(jdbcUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
