package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.StateStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The state kit against a real PostgreSQL, each test in a schema of its own. */
class PostgresStateStoreTest extends StateStoreContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = "ballast_st_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
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
