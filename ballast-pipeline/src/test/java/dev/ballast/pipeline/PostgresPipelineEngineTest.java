package dev.ballast.pipeline;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import java.sql.SQLException;
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
    schema = Postgres.newSchema("ballast_e_");
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }

  @Override
  protected void afterStoreClosed() throws SQLException {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }
}
