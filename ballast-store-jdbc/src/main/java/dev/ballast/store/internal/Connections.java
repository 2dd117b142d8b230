package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** How a store gets connections: writes run in one transaction, reads on a pooled connection. */
interface Connections extends AutoCloseable {

  /** Runs {@code work} in a transaction, committed on return and rolled back when it throws. */
  <T> T write(SqlWork<T> work) throws SQLException;

  <T> T read(SqlWork<T> work) throws SQLException;

  @Override
  void close();

  static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
