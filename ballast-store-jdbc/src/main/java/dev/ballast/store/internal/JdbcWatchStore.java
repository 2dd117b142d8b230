package dev.ballast.store.internal;

import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import dev.ballast.store.StoreException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Watch's aggregates and alerts over JDBC: {@link JdbcWatch}'s SQL, with its {@link SQLException}s
 * turned into {@link StoreException}s that name the operation and the store. Thread-safe.
 */
final class JdbcWatchStore implements WatchStore {
  private final JdbcWatch watch;
  private final SqlFailures failures;

  JdbcWatchStore(JdbcWatch watch, SqlFailures failures) {
    this.watch = watch;
    this.failures = failures;
  }

  @Override
  public void saveMinutes(List<MinuteAggregate> rows) {
    try {
      watch.saveMinutes(rows);
    } catch (SQLException e) {
      throw failures.of("writing watch aggregates", e);
    }
  }

  @Override
  public List<MinuteAggregate> minutes(long fromMinute, long untilMinute) {
    try {
      return watch.minutes(fromMinute, untilMinute);
    } catch (SQLException e) {
      throw failures.of("reading watch aggregates", e);
    }
  }

  @Override
  public int pruneMinutes(long beforeMinute) {
    try {
      return watch.pruneMinutes(beforeMinute);
    } catch (SQLException e) {
      throw failures.of("pruning watch aggregates", e);
    }
  }

  @Override
  public Opened open(AlertRecord candidate) {
    try {
      return watch.open(candidate);
    } catch (SQLException e) {
      throw failures.of("opening an alert", e);
    }
  }

  @Override
  public Optional<AlertRecord> update(AlertRecord changed, Instant at) {
    try {
      return watch.update(changed, at);
    } catch (SQLException e) {
      throw failures.of("updating alert " + changed.id(), e);
    }
  }

  @Override
  public Optional<AlertRecord> resolve(String id, Instant at, Double current, long samples) {
    try {
      return watch.resolve(id, at, current, samples);
    } catch (SQLException e) {
      throw failures.of("resolving alert " + id, e);
    }
  }

  @Override
  public Optional<AlertRecord> alert(String id) {
    try {
      return watch.alert(id);
    } catch (SQLException e) {
      throw failures.of("reading alert " + id, e);
    }
  }

  @Override
  public List<AlertRecord> alerts(AlertState state, int limit) {
    try {
      return watch.alerts(state, limit);
    } catch (SQLException e) {
      throw failures.of("reading alerts", e);
    }
  }
}
