package dev.ballast.gateway;

import dev.ballast.testkit.Postgres;

/**
 * Spending past the budget through every path, on PostgreSQL (one schema for the class; the restart
 * test's second node opens the same schema).
 */
class PostgresSpendingPathsTest extends SpendingPathsSuite {
  private final String base = Postgres.requireAvailable();
  private final String schema = Postgres.newSchema("ballast_spend_");
  private final String isolated = Postgres.newSchema("ballast_flood_");

  @Override
  String storeUrl() {
    return base + "&schema=" + schema;
  }

  @Override
  String isolatedStoreUrl() {
    return base + "&schema=" + isolated;
  }

  @Override
  void dropStore() {
    Postgres.dropSchema(base, schema);
    Postgres.dropSchema(base, isolated);
  }
}
