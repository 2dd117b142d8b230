package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How a write that makes a run claimable reaches the workers waiting in {@code awaitWork}. The
 * writer calls {@link #publish} in its transaction and {@link #committed} after the commit, so that
 * a waiter is never woken before the run it is woken for is visible. Implementations are
 * thread-safe.
 */
interface WorkSignal extends AutoCloseable {

  /** In the transaction of a write that made a run claimable, before it commits. */
  void publish(Connection transaction) throws SQLException;

  /** After a transaction that called {@link #publish} committed. */
  void committed();

  /**
   * Waits for a signal published after this call began, or {@code maxWait}.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void await(Duration maxWait) throws InterruptedException;

  @Override
  void close();
}
