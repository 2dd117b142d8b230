package dev.ballast.store.internal;

import java.sql.Connection;
import java.time.Duration;

/**
 * Signals within this process only, for SQLite: its writes all go through this store's one writer,
 * so the store sees every write it could signal. Another process on the same file is not told; its
 * waiters sleep their whole {@code maxWait}, which the contract of {@code awaitWork} allows.
 */
final class LocalWorkSignal implements WorkSignal {
  private final Wakeups wakeups = new Wakeups();

  @Override
  public void publish(Connection transaction) {
    // Waking before the commit would send waiters to a run they cannot see yet.
  }

  @Override
  public void committed() {
    wakeups.wakeAll();
  }

  @Override
  public void await(Duration maxWait) throws InterruptedException {
    wakeups.await(maxWait);
  }

  @Override
  public void close() {
    wakeups.wakeAll();
  }
}
