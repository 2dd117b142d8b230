package dev.ballast.pipeline.internal;

import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.Lease;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's worker slots: {@code concurrency} loops, each claiming a run, executing its lease and
 * claiming again, waiting for a wake-up from the store when nothing is claimable.
 *
 * <p>Per-pipeline limits ({@code max_concurrent}) hold across every node of the store: the queue
 * counts the held runs of a limited pipeline in the claim's transaction (the limits invariant of
 * {@code RunQueue}), so the slots of all nodes claim concurrently and none keeps a count of its
 * own. A run of a limited pipeline that leaves its lease signals every node's waiting slots, which
 * may have been waiting for that place.
 */
final class Workers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  private final EngineCore core;
  private final Registry registry;
  private final Set<String> all;
  private final Map<String, Integer> limits;
  private final AtomicInteger busy = new AtomicInteger();
  private final CopyOnWriteArrayList<Thread> slots = new CopyOnWriteArrayList<>();

  /**
   * The slots now waiting for work (or out a store failure), the only ones {@link #stop} may
   * interrupt at once: interrupting a slot inside a store call would close its connection's socket
   * mid-statement, which the pool reports as a broken connection.
   */
  private final Set<Thread> idle = ConcurrentHashMap.newKeySet();

  private volatile boolean stopping;

  Workers(EngineCore core, Registry registry) {
    this.core = core;
    this.registry = registry;
    Set<String> names = new HashSet<>();
    Map<String, Integer> limited = new HashMap<>();
    for (PipelineDefinition d : registry.definitions()) {
      names.add(d.name());
      if (d.maxConcurrent() > 0) {
        limited.put(d.name(), d.maxConcurrent());
      }
    }
    this.all = Set.copyOf(names);
    this.limits = Map.copyOf(limited);
  }

  void start() {
    if (all.isEmpty()) {
      return;
    }
    for (int i = 0; i < core.workers.concurrency(); i++) {
      slots.add(Thread.ofVirtual().name("ballast-worker-" + i).start(this::loop));
    }
  }

  int running() {
    return busy.get();
  }

  private void loop() {
    Duration poll = core.workers.poll();
    while (!stopping) {
      try {
        Optional<Lease> lease = claim();
        if (lease.isEmpty()) {
          idle(() -> core.queue.awaitWork(poll));
          continue;
        }
        execute(lease.get());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (stopping) {
          return; // a store call cut short by the stop
        }
        // The store is unreachable or a bug: do not spin; the leases held expire and are retaken.
        LOG.warn("worker slot: {}", e.toString());
        try {
          idle(() -> Thread.sleep(poll));
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** A wait that {@link #stop} may interrupt; skipped once stopping. */
  private interface Wait {
    void run() throws InterruptedException;
  }

  private void idle(Wait wait) throws InterruptedException {
    Thread self = Thread.currentThread();
    idle.add(self);
    try {
      // Added before reading the flag, which stop() sets before it interrupts the idle slots:
      // either this slot sees the flag or stop() sees this slot.
      if (!stopping) {
        wait.run();
      }
    } finally {
      idle.remove(self);
    }
  }

  private Optional<Lease> claim() {
    return core.queue.claim(core.nodeId, core.clock.instant(), core.workers.lease(), all, limits);
  }

  private void execute(Lease lease) {
    busy.incrementAndGet();
    core.claimed.incrementAndGet();
    Heartbeats.Held held = core.heartbeats.hold(lease);
    try {
      Optional<Registry.Compiled> pipeline = registry.get(lease.pipeline());
      if (pipeline.isEmpty()) {
        return; // Not claimable here: claim() names only known pipelines.
      }
      if (!pipeline.get().definition().version().equals(lease.pipelineVersion())) {
        parkOnVersion(lease, pipeline.get());
        return;
      }
      new RunExecution(lease, pipeline.get(), core, held).execute();
    } catch (java.io.IOException e) {
      LOG.error(
          "run {}: its stored input or outputs are not JSON: {}", lease.runId(), e.toString());
    } finally {
      core.heartbeats.release(held);
      busy.decrementAndGet();
      if (limits.containsKey(lease.pipeline())) {
        freedAPlace(lease);
      }
    }
  }

  /**
   * The run of a limited pipeline has left its lease, so a place under the limit is free. This slot
   * claims next, but may take a run of another pipeline; a node waiting for that place would
   * otherwise notice it only at its next poll, since leaving a lease signals nobody.
   */
  private void freedAPlace(Lease lease) {
    try {
      core.queue.signalWork();
    } catch (RuntimeException e) {
      // Only a wake-up is lost: the waiting nodes still find the place at their next poll.
      LOG.debug("run {}: could not signal its freed place: {}", lease.runId(), e.toString());
    }
  }

  /**
   * The run was submitted under another version of its pipeline than this node has (a configuration
   * rollout in progress). It is parked for a lease period so that a node with that version can take
   * it; it never runs under a version it was not submitted with.
   */
  private void parkOnVersion(Lease lease, Registry.Compiled pipeline) {
    String dependency = "pipeline:" + lease.pipeline() + "@" + lease.pipelineVersion();
    LOG.warn(
        "run {} needs pipeline {} version {}, this node has {}; parking it",
        lease.runId(),
        lease.pipeline(),
        lease.pipelineVersion(),
        pipeline.definition().version());
    core.queue.park(
        lease.runId(),
        lease.fence(),
        dependency,
        core.clock.instant().plus(core.workers.lease()),
        core.clock.instant());
  }

  /**
   * Stops claiming, lets running leases finish for up to {@code grace}, then interrupts them; their
   * leases expire and other nodes resume the runs from their last checkpoint. Slots waiting for
   * work are interrupted at once; a slot in the middle of a claim finishes it first (and runs what
   * it claimed, within the grace).
   */
  void stop(Duration grace) {
    stopping = true;
    idle.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (Thread slot : slots) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          slot.join(Duration.ofNanos(left));
        }
      }
      slots.forEach(Thread::interrupt);
      for (Thread slot : slots) {
        slot.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
