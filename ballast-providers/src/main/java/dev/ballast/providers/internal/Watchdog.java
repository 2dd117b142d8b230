package dev.ballast.providers.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one scheduler that enforces read deadlines for every provider call in the process. The JDK
 * HTTP client has no read timeout once headers arrived (JDK-8258397), so a deadline is enforced by
 * closing the body stream from here. Its tasks only flip a flag and close a stream, so one daemon
 * thread serves any number of calls.
 */
final class Watchdog {
  private static final ScheduledExecutorService SCHEDULER = create();

  private Watchdog() {}

  static ScheduledExecutorService scheduler() {
    return SCHEDULER;
  }

  private static ScheduledExecutorService create() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "ballast-provider-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    // Most deadlines are re-armed or cancelled long before they fire; do not let them pile up.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
