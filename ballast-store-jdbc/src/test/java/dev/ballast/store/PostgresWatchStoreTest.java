package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.WatchStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Watch's aggregates and alerts against a real PostgreSQL, each test in a schema of its own. */
class PostgresWatchStoreTest extends WatchStoreContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = Postgres.newSchema("ballast_t_");
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(jdbcUrl, schema);
  }
}
