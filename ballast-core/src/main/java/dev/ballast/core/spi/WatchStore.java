package dev.ballast.core.spi;

import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.core.watch.MinuteAggregate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What Watch keeps in the store, shared by every node on it: per-minute aggregates of its signals
 * (so a restarted node and every other node compare against one baseline) and its alerts (so an
 * alert is opened once, however many nodes see the change).
 *
 * <p>Invariant: at most one alert per (series, signal) is {@link AlertState#OPEN}; {@link #open} is
 * the arbiter between nodes racing to open one. Implementations are thread-safe.
 */
public interface WatchStore {

  /**
   * Writes rows, each replacing the row with the same minute, series, signal and node: a node
   * rewrites a minute's totals when late runs arrive, and writing the same rows twice changes
   * nothing.
   */
  void saveMinutes(List<MinuteAggregate> rows);

  /** Every node's rows of the minutes in {@code [fromMinute, untilMinute)}. */
  List<MinuteAggregate> minutes(long fromMinute, long untilMinute);

  /** Deletes rows of minutes before {@code beforeMinute}; returns how many. */
  int pruneMinutes(long beforeMinute);

  /**
   * Opens {@code candidate} unless an alert for its series and signal is open already.
   *
   * @return the open alert: the candidate, or the one another node opened first
   */
  Opened open(AlertRecord candidate);

  /**
   * Writes the open alert's new severity, title, current value, samples and details, with {@code
   * seq} one higher. Empty when the alert is not open (another node resolved it).
   */
  Optional<AlertRecord> update(AlertRecord changed, Instant at);

  /** Resolves the open alert, with {@code seq} one higher; empty when it was not open. */
  Optional<AlertRecord> resolve(String id, Instant at, Double current, long samples);

  Optional<AlertRecord> alert(String id);

  /**
   * Alerts newest first.
   *
   * @param state only alerts in this state; null for all
   */
  List<AlertRecord> alerts(AlertState state, int limit);

  /**
   * What {@link #open} did.
   *
   * @param created true when the candidate was written, false when {@code alert} is another's
   */
  record Opened(AlertRecord alert, boolean created) {}
}
