package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a connection that the caller owns for the duration of the call. */
@FunctionalInterface
interface SqlWork<T> {
  T apply(Connection connection) throws SQLException;
}
