package dev.ballast.store;

import dev.ballast.core.spi.RunQueue;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.RunQueueContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The run queue contract against a real PostgreSQL, each test in a schema of its own. */
class PostgresRunQueueTest extends RunQueueContract {
  private static String jdbcUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected RunQueue newQueue() {
    schema = Postgres.newSchema("ballast_q_");
    return queueOf(Stores.open(jdbcUrl + "&schema=" + schema, null));
  }

  /** Another store on the same schema, as another node would open it. */
  @Override
  protected RunQueue openOtherNode() {
    return queueOf(Stores.open(jdbcUrl + "&schema=" + schema, null));
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }
}
