package dev.ballast.pipeline.internal;

import dev.ballast.core.queue.Lease;
import dev.ballast.core.spi.RunQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends every lease this node holds, every {@code interval}. A refused heartbeat means another
 * node took the run (or the lease expired): the holder is marked lost and its running attempt is
 * interrupted, and every later write of the holder would be fenced off anyway — the heartbeat only
 * makes the loser stop sooner.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

  private final RunQueue queue;
  private final Clock clock;
  private final Duration leaseFor;
  private final ScheduledExecutorService timer;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  final AtomicLong lost = new AtomicLong();

  Heartbeats(RunQueue queue, Clock clock, Duration leaseFor, Duration interval) {
    this.queue = queue;
    this.clock = clock;
    this.leaseFor = leaseFor;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ballast-heartbeats");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(10, interval.toMillis());
    timer.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
  }

  Held hold(Lease lease) {
    Held h = new Held(lease.runId(), lease.fence());
    held.put(lease.runId(), h);
    return h;
  }

  void release(Held h) {
    held.remove(h.runId, h);
  }

  private void beat() {
    for (Held h : held.values()) {
      if (h.lost) {
        continue;
      }
      try {
        if (!queue.heartbeat(h.runId, h.fence, clock.instant(), leaseFor)) {
          markLost(h);
        }
      } catch (RuntimeException e) {
        // The store is unreachable: keep trying; if it stays away past the lease, writes are
        // fenced off and the run continues on whichever node reaches the store first.
        LOG.warn("heartbeat of run {} failed: {}", h.runId, e.toString());
      }
    }
  }

  void markLost(Held h) {
    if (!h.lost) {
      h.lost = true;
      lost.incrementAndGet();
      Thread t = h.attemptThread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** A lease this node holds. */
  static final class Held {
    final String runId;
    final long fence;
    volatile boolean lost;
    volatile Thread attemptThread;

    Held(String runId, long fence) {
      this.runId = runId;
      this.fence = fence;
    }
  }
}
