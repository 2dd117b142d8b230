package dev.ballast.gateway;

import java.nio.file.Path;

/** The hostile tenant against a node on the embedded SQLite store. */
class SqliteTenancyTest extends TenancyTest {
  @Override
  String storeUrl(Path dataDir) {
    return "sqlite:";
  }
}
