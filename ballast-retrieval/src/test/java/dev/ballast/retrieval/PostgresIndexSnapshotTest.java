package dev.ballast.retrieval;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import dev.ballast.testkit.Postgres;
import org.junit.jupiter.api.BeforeAll;

/**
 * Index snapshots against PostgreSQL, each database a schema of its own (skipped when PostgreSQL is
 * unreachable, failed under CI=true).
 */
class PostgresIndexSnapshotTest extends IndexSnapshotContract {
  private static String jdbcUrl;

  @BeforeAll
  static void requirePostgres() {
    jdbcUrl = Postgres.requireAvailable();
  }

  @Override
  protected Store newStore() {
    String schema = Postgres.newSchema("ballast_snap_");
    // Closed in reverse: the schema goes after the indexes and the store that read it are closed,
    // so that no tailer polls a dropped schema.
    closeables.add(() -> Postgres.dropSchema(jdbcUrl, schema));
    return Stores.open(jdbcUrl + "&schema=" + schema, null);
  }
}
