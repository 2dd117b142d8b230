package dev.ballast.store;

import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.RunQueueContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
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
    schema = "ballast_q_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return opened(Stores.open(jdbcUrl + "&schema=" + schema, null));
  }

  /** Another store on the same schema, as another node would open it. */
  @Override
  protected RunQueue openOtherNode() {
    return opened(Stores.open(jdbcUrl + "&schema=" + schema, null));
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

  private final java.util.Map<RunQueue, Store> stores = new java.util.IdentityHashMap<>();

  private RunQueue opened(Store store) {
    stores.put(store.runQueue(), store);
    return store.runQueue();
  }

  @Override
  protected void close(RunQueue queue) {
    Store store = stores.remove(queue);
    if (store != null) {
      store.close();
    }
  }
}
