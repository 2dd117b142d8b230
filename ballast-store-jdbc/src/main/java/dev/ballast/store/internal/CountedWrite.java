package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A write that is a single statement whose update count decides its outcome. {@link GroupCommit}
 * sends the counted writes of a batch that share a statement as one JDBC batch, in one round trip,
 * and hands each its own update count; on its own, it is one {@code executeUpdate}.
 */
final class CountedWrite<T> implements SqlWork<T> {
  private final String sql;
  private final Object[] params;
  private final JdbcQueueRows rows;
  private final Outcome<T> outcome;

  /** What an update count means; may query {@code c} to explain a refusal. */
  @FunctionalInterface
  interface Outcome<T> {
    T of(Connection c, int updated) throws SQLException;
  }

  CountedWrite(JdbcQueueRows rows, String sql, Object[] params, Outcome<T> outcome) {
    this.rows = rows;
    this.sql = sql;
    this.params = params;
    this.outcome = outcome;
  }

  String sql() {
    return sql;
  }

  void bind(PreparedStatement ps) throws SQLException {
    rows.bind(ps, params);
  }

  T outcome(Connection c, int updated) throws SQLException {
    return outcome.of(c, updated);
  }

  @Override
  public T apply(Connection c) throws SQLException {
    return outcome(c, rows.update(c, sql, params));
  }
}
