package dev.ballast.store.internal;

import dev.ballast.core.stats.StatsQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The statistics SQL that differs between the backends: bucketing a time column, a duration in
 * milliseconds and a percentile. Everything else in {@link JdbcRunStats} is shared. SQLite's {@code
 * percentile} and PostgreSQL's {@code percentile_cont} both interpolate and skip nulls.
 */
final class StatsSql {
  private final Dialect dialect;

  StatsSql(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The bucket index of {@code column}; binds two parameters: the window start and the step. */
  String bucket(String column) {
    return switch (dialect) {
      case SQLITE -> "((" + column + " - ?) / ?)";
      case POSTGRESQL ->
          "CAST(floor(extract(epoch FROM (" + column + " - CAST(? AS timestamptz))) / ?) AS int)";
    };
  }

  int bindBucket(PreparedStatement ps, int index, StatsQuery query) throws SQLException {
    dialect.setInstant(ps, index, query.since());
    switch (dialect) {
      case SQLITE -> ps.setLong(index + 1, query.step().toMillis() * 1000L);
      case POSTGRESQL -> ps.setDouble(index + 1, query.step().toMillis() / 1000.0);
    }
    return index + 2;
  }

  /** Milliseconds from {@code from} to {@code to}, two time columns. */
  String millisBetween(String from, String to) {
    return switch (dialect) {
      case SQLITE -> "((" + to + " - " + from + ") / 1000.0)";
      case POSTGRESQL -> "(extract(epoch FROM (" + to + " - " + from + ")) * 1000)";
    };
  }

  /** The {@code p}th percentile (0 to 100) of {@code expression} over the group. */
  String percentile(String expression, int p) {
    return switch (dialect) {
      case SQLITE -> "percentile(" + expression + ", " + p + ")";
      case POSTGRESQL ->
          "percentile_cont(" + (p / 100.0) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    };
  }
}
