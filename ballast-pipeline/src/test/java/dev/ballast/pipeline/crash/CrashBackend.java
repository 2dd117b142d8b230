package dev.ballast.pipeline.crash;

import dev.ballast.core.spi.Store;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store a crash run uses: the URL every process opens it by, and plain JDBC to read the tables
 * the queue API does not show (stage checkpoints with their fences, the effects ledger).
 */
sealed interface CrashBackend extends AutoCloseable {

  String name();

  /** The URL the test process and every worker process open. */
  String storeUrl();

  default Store open() {
    return Stores.open(storeUrl(), null);
  }

  Connection connect() throws SQLException;

  /** The table's name as a query must write it. */
  String table(String name);

  /** An SQL expression of a time column as epoch microseconds. */
  String micros(String column);

  /** Drops what the run left behind, after every process using it ended. */
  @Override
  default void close() throws SQLException {}

  /** One SQLite file, shared by all processes (WAL mode, as the store opens it). */
  record Sqlite(Path file) implements CrashBackend {
    @Override
    public String name() {
      return "sqlite";
    }

    @Override
    public String storeUrl() {
      return "sqlite:" + file.toAbsolutePath();
    }

    @Override
    public Connection connect() throws SQLException {
      return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    @Override
    public String table(String name) {
      return name;
    }

    @Override
    public String micros(String column) {
      return column; // stored as epoch microseconds
    }
  }

  /** A fresh schema of the test database. */
  record Postgres(String jdbcUrl, String schema) implements CrashBackend {
    @Override
    public String name() {
      return "postgresql";
    }

    @Override
    public String storeUrl() {
      return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "schema=" + schema;
    }

    @Override
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl);
    }

    @Override
    public String table(String name) {
      return schema + "." + name;
    }

    @Override
    public String micros(String column) {
      return "CAST(EXTRACT(EPOCH FROM " + column + ") * 1000000 AS BIGINT)";
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
