package dev.ballast.retrieval;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The index contract on PostgreSQL, each test in a schema of its own (skipped when PostgreSQL is
 * unreachable, failed under CI=true).
 */
class PostgresCollectionIndexTest extends CollectionIndexContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected DocumentStore newStore() {
    schema = Postgres.newSchema("ballast_rt_");
    Store opened = Stores.open(jdbcUrl + "&schema=" + schema, null);
    closeables.add(opened);
    return opened.documents();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }
}
