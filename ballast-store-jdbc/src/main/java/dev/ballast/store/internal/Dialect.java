package dev.ballast.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * What differs between the backends. The SQL itself is shared: both speak {@code INSERT ... ON
 * CONFLICT}; only time and JSON columns are typed differently.
 */
enum Dialect {
  /** Times are epoch microseconds, JSON is text. */
  SQLITE("sqlite", "?") {
    @Override
    void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
      if (at == null) {
        ps.setNull(index, Types.BIGINT);
      } else {
        ps.setLong(index, ChronoUnit.MICROS.between(Instant.EPOCH, at));
      }
    }

    @Override
    Instant instant(ResultSet rs, String column) throws SQLException {
      long micros = rs.getLong(column);
      return rs.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
  },

  /** Times are {@code timestamptz}, JSON is {@code jsonb}. */
  POSTGRESQL("postgresql", "CAST(? AS jsonb)") {
    @Override
    void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
      if (at == null) {
        ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      }
    }

    @Override
    Instant instant(ResultSet rs, String column) throws SQLException {
      OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
      return value == null ? null : value.toInstant();
    }
  };

  private final String backend;
  private final String jsonParameter;

  Dialect(String backend, String jsonParameter) {
    this.backend = backend;
    this.jsonParameter = jsonParameter;
  }

  String backend() {
    return backend;
  }

  /** The placeholder for a JSON text parameter, cast where the column is typed. */
  String jsonParameter() {
    return jsonParameter;
  }

  String migrations() {
    return "classpath:db/migration/" + backend;
  }

  /** Both backends keep microseconds; finer instants are truncated. */
  abstract void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException;

  abstract Instant instant(ResultSet rs, String column) throws SQLException;
}
