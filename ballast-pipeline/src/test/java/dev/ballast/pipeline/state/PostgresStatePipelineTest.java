package dev.ballast.pipeline.state;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/** State stages on PostgreSQL, each test in a schema of its own. */
class PostgresStatePipelineTest extends StatePipelineContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    schema = Postgres.newSchema("ballast_s_");
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @Override
  protected void afterStoreClosed() throws SQLException {
    Postgres.dropSchema(jdbcUrl, schema);
  }
}
