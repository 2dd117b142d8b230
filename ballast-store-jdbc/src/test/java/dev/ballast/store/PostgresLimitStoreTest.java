package dev.ballast.store;

import dev.ballast.core.spi.LimitStore;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.LimitStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The limit store contract against a real PostgreSQL, each test in a schema of its own, with a
 * second store on that schema as another node.
 */
class PostgresLimitStoreTest extends LimitStoreContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected LimitStore newLimits() {
    schema = Postgres.newSchema("ballast_l_");
    return limitsOf(Stores.open(jdbcUrl + "&schema=" + schema, null));
  }

  @Override
  protected LimitStore openOtherNode() {
    return limitsOf(Stores.open(jdbcUrl + "&schema=" + schema, null));
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(jdbcUrl, schema);
  }
}
