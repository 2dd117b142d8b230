package dev.ballast.gateway;

import dev.ballast.testkit.Postgres;
import java.nio.file.Path;

/** The hostile tenant against a node on PostgreSQL, in a schema of its own. */
class PostgresTenancyTest extends TenancyTest {
  private String jdbcUrl;
  private String schema;

  @Override
  String storeUrl(Path dataDir) {
    jdbcUrl = Postgres.requireAvailable();
    schema = Postgres.newSchema("ballast_tenancy_");
    return jdbcUrl + "&schema=" + schema;
  }

  @Override
  void dropStore() throws Exception {
    if (schema != null) {
      Postgres.dropSchema(jdbcUrl, schema);
    }
  }
}
