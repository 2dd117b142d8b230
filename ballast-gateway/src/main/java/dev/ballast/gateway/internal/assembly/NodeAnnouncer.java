package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.NodeRole;
import dev.ballast.core.spi.NodeStore;
import dev.ballast.core.spi.NodeStore.NodeRecord;
import dev.ballast.gateway.internal.reload.LiveConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's entry in the store's node registry: its role and the configuration version it
 * runs, announced at start, after every reload and every {@link #EVERY}; removed when the node
 * stops. A node not heard of for {@link #FORGOTTEN_AFTER} is no longer listed (it crashed). A
 * failed announcement is logged and tried again on the next tick: the registry informs operators,
 * nothing on the request path depends on it.
 */
final class NodeAnnouncer implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(10);
  static final Duration FORGOTTEN_AFTER = EVERY.multipliedBy(3);
  private static final Logger LOG = LoggerFactory.getLogger(NodeAnnouncer.class);

  private final NodeStore nodes;
  private final String nodeId;
  private final NodeRole role;
  private final LiveConfig live;
  private final Clock clock;
  private final Instant startedAt;
  private final ScheduledExecutorService timer;

  private NodeAnnouncer(
      NodeStore nodes, String nodeId, NodeRole role, LiveConfig live, Clock clock) {
    this.nodes = nodes;
    this.nodeId = nodeId;
    this.role = role;
    this.live = live;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ballast-node-announcer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Announces the node at once, then every {@link #EVERY}. */
  static NodeAnnouncer start(
      NodeStore nodes, String nodeId, NodeRole role, LiveConfig live, Clock clock) {
    NodeAnnouncer announcer = new NodeAnnouncer(nodes, nodeId, role, live, clock);
    announcer.announce();
    long every = EVERY.toMillis();
    announcer.timer.scheduleWithFixedDelay(
        announcer::announce, every, every, TimeUnit.MILLISECONDS);
    return announcer;
  }

  String nodeId() {
    return nodeId;
  }

  /** Records the configuration version this node runs now; never throws. */
  void announce() {
    LiveConfig.Loaded loaded = live.current();
    try {
      nodes.announce(
          new NodeRecord(
              nodeId,
              role.wireName(),
              loaded.version(),
              loaded.loadedAt(),
              startedAt,
              clock.instant()));
    } catch (RuntimeException e) {
      LOG.warn("announcing node {} failed: {}", nodeId, e.getMessage());
    }
  }

  /** The nodes heard of lately, this one included. */
  List<NodeRecord> nodes() {
    return nodes.seenSince(clock.instant().minus(FORGOTTEN_AFTER));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      nodes.remove(nodeId);
    } catch (RuntimeException e) {
      LOG.warn("removing node {} from the registry failed: {}", nodeId, e.getMessage());
    }
  }
}
