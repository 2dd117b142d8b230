package dev.ballast.store;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.NodeStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The node registry kit against a real PostgreSQL, each test in a schema of its own. */
class PostgresNodeStoreTest extends NodeStoreContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = Postgres.newSchema("ballast_nodes_");
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }
}
