package dev.ballast.gateway;

/** Spending past the budget through every path, on the embedded SQLite store. */
class SqliteSpendingPathsTest extends SpendingPathsSuite {
  @Override
  String storeUrl() {
    return "sqlite:";
  }

  /** Each gateway's SQLite file is in its own data directory. */
  @Override
  String isolatedStoreUrl() {
    return "sqlite:";
  }
}
