package dev.ballast.store.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** PostgreSQL handles concurrent writers itself, so reads and writes share one pool. */
final class PostgresConnections implements Connections {
  private final HikariDataSource pool;

  PostgresConnections(HikariDataSource pool) {
    this.pool = pool;
  }

  @Override
  public <T> T write(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return Connections.inTransaction(connection, work);
    }
  }

  @Override
  public <T> T read(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return work.apply(connection);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
