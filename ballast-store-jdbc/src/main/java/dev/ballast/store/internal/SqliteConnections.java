package dev.ballast.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
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
    Connection writer = dataSource.getConnection();
    writer.setAutoCommit(false);
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
    config.enforceForeignKeys(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    return dataSource;
  }

  @Override
  public <T> T write(SqlWork<T> work) throws SQLException {
    writeLock.lock();
    try {
      return Connections.inTransaction(writer, work);
    } finally {
      writeLock.unlock();
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
