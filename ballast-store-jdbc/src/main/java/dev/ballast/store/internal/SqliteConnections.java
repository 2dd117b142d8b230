package dev.ballast.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite allows one writer at a time, so all writes share one connection behind a lock: waiting on
 * our lock is cheaper and fairer than SQLite's busy loop. WAL mode lets a small pool of readers run
 * alongside the writer.
 */
final class SqliteConnections implements Connections {
  private static final int READERS = 4;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private final HikariDataSource readers;

  private SqliteConnections(Connection writer, HikariDataSource readers) {
    this.writer = writer;
    this.readers = readers;
  }

  static SqliteConnections open(DataSource dataSource, String name) throws SQLException {
    // The writer stays in autocommit mode between writes and begins each transaction itself (see
    // write). With autocommit off, the driver begins the next transaction as soon as one commits,
    // and an IMMEDIATE one holds SQLite's write lock while idle, locking out every other process.
    Connection writer = dataSource.getConnection();
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(dataSource);
    pool.setPoolName("ballast-sqlite-readers-" + name);
    pool.setMaximumPoolSize(READERS);
    pool.setMinimumIdle(1);
    return new SqliteConnections(writer, new HikariDataSource(pool));
  }

  /** Every connection, reader or writer, gets the same pragmas. */
  static DataSource dataSource(String url) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL in WAL mode survives a process crash; only an OS crash can lose the last commits.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    // A write transaction takes the write lock when it begins. A deferred one that read first and
    // then writes fails with SQLITE_BUSY_SNAPSHOT when another process wrote in between, which no
    // busy timeout can wait out; an immediate one waits for the lock instead. Readers run in
    // autocommit and never begin a transaction, so this costs them nothing.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    return dataSource;
  }

  @Override
  public <T> T write(SqlWork<T> work) throws SQLException {
    writeLock.lock();
    try {
      return immediateTransaction(writer, work);
    } finally {
      writeLock.unlock();
    }
  }

  private static <T> T immediateTransaction(Connection connection, SqlWork<T> work)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.apply(connection);
        statement.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          statement.execute("ROLLBACK");
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }
  }

  @Override
  public <T> T read(SqlWork<T> work) throws SQLException {
    try (Connection connection = readers.getConnection()) {
      return work.apply(connection);
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      readers.close();
      writer.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing the SQLite writer failed", e);
    } finally {
      writeLock.unlock();
    }
  }
}
