package dev.ballast.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ballast.core.PrivateFiles;
import dev.ballast.core.spi.Store;
import dev.ballast.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Creates, migrates and connects a store; failures become one readable {@link StoreException}. */
final class StoreOpener {
  private static final int POSTGRES_POOL_SIZE = 8;

  /**
   * Group commit on PostgreSQL: one lane for the writes of lease holders and one for claims, so
   * that one batch executes its statements while the other waits for its WAL flush, a checkpoint
   * never waits behind claims, and the rest of the pool is left to reads, enqueues and journals.
   * Measured against two or four shared lanes in docs/queue.md ("Throughput probe").
   */
  private static final int POSTGRES_LANES = 1;

  /**
   * SQLite has one writer, so one lane, which claims share; batching still saves a commit per write
   * under load.
   */
  private static final int SQLITE_LANES = 1;

  private static final int MAX_BATCH_SIZE = 64;

  private StoreOpener() {}

  static Store open(StoreUrl url) {
    try {
      return switch (url) {
        case StoreUrl.Sqlite sqlite -> sqlite(sqlite);
        case StoreUrl.Postgres postgres -> postgres(postgres);
      };
    } catch (SQLException | IOException | RuntimeException e) {
      if (e instanceof StoreException storeException) {
        throw storeException;
      }
      throw new StoreException("cannot open store " + url.display() + ": " + rootMessage(e), e);
    }
  }

  private static Store sqlite(StoreUrl.Sqlite url) throws SQLException, IOException {
    Path parent = url.file().toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      // A directory made for the database holds nothing another user should read.
      PrivateFiles.directory(parent);
    }
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's
    // mode, and a database an earlier version left at 0644 is narrowed (docs/security.md).
    PrivateFiles.file(url.file());
    DataSource dataSource = SqliteConnections.dataSource("jdbc:sqlite:" + url.file());
    migrate(flyway(dataSource, Dialect.SQLITE));
    String name = url.file().getFileName().toString();
    Connections connections = SqliteConnections.open(dataSource, name);
    WorkSignal signal = new LocalWorkSignal();
    return new JdbcStore(
        Dialect.SQLITE,
        connections,
        url.display(),
        signal,
        new GroupCommit(connections, signal, SQLITE_LANES, false, MAX_BATCH_SIZE));
  }

  private static Store postgres(StoreUrl.Postgres url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setPoolName("ballast-postgresql");
    config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
    config.setConnectionTimeout(10_000);
    if (url.schema() != null) {
      config.setSchema(url.schema());
    }
    HikariDataSource pool = new HikariDataSource(config);
    try {
      FluentConfiguration flyway = flyway(pool, Dialect.POSTGRESQL);
      if (url.schema() != null) {
        flyway.schemas(url.schema()).createSchemas(true);
      }
      migrate(flyway);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    Connections connections = new PostgresConnections(pool);
    WorkSignal signal =
        new PostgresWorkSignal(url.schema(), () -> DriverManager.getConnection(url.jdbcUrl()));
    return new JdbcStore(
        Dialect.POSTGRESQL,
        connections,
        url.display(),
        signal,
        new GroupCommit(connections, signal, POSTGRES_LANES, true, MAX_BATCH_SIZE));
  }

  private static FluentConfiguration flyway(DataSource dataSource, Dialect dialect) {
    // Out of order: migrations are numbered when a feature is begun and may land in another
    // order (V9 and V10 before V7). Each adds its own tables and indexes and none depends on a
    // later number, so a database that has V10 takes V7 when it arrives instead of refusing to
    // start.
    return Flyway.configure(StoreOpener.class.getClassLoader())
        .dataSource(dataSource)
        .locations(dialect.migrations())
        .outOfOrder(true);
  }

  private static void migrate(FluentConfiguration flyway) {
    flyway.load().migrate();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
