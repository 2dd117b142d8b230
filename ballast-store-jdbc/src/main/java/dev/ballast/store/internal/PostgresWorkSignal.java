package dev.ballast.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Signals across every node sharing the database with {@code LISTEN}/{@code NOTIFY}. A writer calls
 * {@code pg_notify} in its own transaction, and PostgreSQL delivers the notification when, and only
 * if, that transaction commits. Waiters share one listening connection per store: the first {@link
 * #await} opens it and issues {@code LISTEN} before it starts waiting, so that it cannot miss a
 * signal sent after it began; then one daemon thread receives on it, and reconnects when it breaks.
 *
 * <p>Notifications sent while the listener is disconnected are lost, so after every reconnect it
 * wakes all waiters once: they claim, find whatever was missed, and wait again.
 */
final class PostgresWorkSignal implements WorkSignal {
  /** How long one poll blocks before the listener checks that its connection is still alive. */
  private static final int POLL_MILLIS = 10_000;

  private static final int VALIDATION_SECONDS = 5;
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final int MAX_CHANNEL_LENGTH = 63;

  private final String channel;
  private final SqlConnector connector;
  private final Wakeups wakeups = new Wakeups();
  private final Object lifecycle = new Object();
  private Thread listener;
  private volatile Connection connection;
  private volatile boolean closed;

  /** Opens a connection of its own, outside any pool: the listener holds it for its lifetime. */
  @FunctionalInterface
  interface SqlConnector {
    Connection connect() throws SQLException;
  }

  PostgresWorkSignal(String schema, SqlConnector connector) {
    this.channel = channel(schema);
    this.connector = connector;
  }

  /** Channels are database-wide, so stores in different schemas of one database use their own. */
  static String channel(String schema) {
    String name = schema == null ? "ballast_runs" : "ballast_runs_" + schema;
    return name.length() > MAX_CHANNEL_LENGTH ? name.substring(0, MAX_CHANNEL_LENGTH) : name;
  }

  @Override
  public void publish(Connection transaction) throws SQLException {
    // Identical notifications of one transaction are delivered once, so a batch notifies once.
    try (PreparedStatement ps = transaction.prepareStatement("SELECT pg_notify(?, '')")) {
      ps.setString(1, channel);
      ps.execute();
    }
  }

  @Override
  public void committed() {
    // PostgreSQL delivers the notification at commit, also to this store's own listener.
  }

  @Override
  public void await(Duration maxWait) throws InterruptedException {
    startListening();
    wakeups.await(maxWait);
  }

  /**
   * The first caller connects and listens before it waits; when that fails, the listener thread
   * keeps trying in the background and the callers wait out their {@code maxWait}.
   */
  private void startListening() {
    synchronized (lifecycle) {
      if (listener != null || closed) {
        return;
      }
      Connection first;
      try {
        first = listen();
      } catch (SQLException e) {
        closeQuietly();
        first = null;
      }
      Connection listening = first;
      listener =
          Thread.ofPlatform()
              .daemon()
              .name("ballast-listen-" + channel)
              .start(() -> receiveUntilClosed(listening));
    }
  }

  private void receiveUntilClosed(Connection first) {
    Connection listening = first;
    long backoff = FIRST_BACKOFF_MILLIS;
    while (!closed) {
      try {
        if (listening == null) {
          listening = listen();
          // Whatever was notified while the listener was away is lost: let every waiter look.
          wakeups.wakeAll();
        }
        backoff = FIRST_BACKOFF_MILLIS;
        receive(listening);
      } catch (SQLException e) {
        // Lost or refused: try again, more slowly each time, until the store is closed.
        listening = null;
        closeQuietly();
        if (!closed) {
          pause(backoff);
          backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
      }
    }
    closeQuietly();
  }

  private Connection listen() throws SQLException {
    Connection opened = connector.connect();
    connection = opened;
    try (Statement s = opened.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
    }
    return opened;
  }

  private void receive(Connection listening) throws SQLException {
    PGConnection pg = listening.unwrap(PGConnection.class);
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
      if (notifications != null && notifications.length > 0) {
        wakeups.wakeAll();
      } else if (!closed && !listening.isValid(VALIDATION_SECONDS)) {
        throw new SQLException("the listening connection on " + channel + " is no longer valid");
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // Only close() interrupts this thread, and the loop checks for that next.
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    Connection current = connection;
    connection = null;
    if (current != null) {
      try {
        current.close();
      } catch (SQLException e) {
        // The connection is being dropped either way.
      }
    }
  }

  /** Stops the listener: closing its connection ends the poll it is blocked in. */
  @Override
  public void close() {
    Thread running;
    synchronized (lifecycle) {
      closed = true;
      running = listener;
    }
    closeQuietly();
    if (running != null) {
      running.interrupt();
      try {
        running.join(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    wakeups.wakeAll();
  }
}
