package dev.ballast.core.spi;

import java.time.Instant;
import java.util.List;

/**
 * The nodes sharing a store, each as it last announced itself: its role and the configuration
 * version it runs. Nodes announce themselves periodically and after a reload, so that an operator
 * can see from any node which node runs which configuration. Implementations are thread-safe.
 */
public interface NodeStore {

  /**
   * One node's last announcement.
   *
   * @param configVersion the content hash of the configuration the node runs
   * @param configLoadedAt when the node took that configuration over (its start or a reload)
   * @param seenAt when the node last announced itself
   */
  record NodeRecord(
      String nodeId,
      String role,
      String configVersion,
      Instant configLoadedAt,
      Instant startedAt,
      Instant seenAt) {}

  /** Records the node's announcement, replacing its previous one. */
  void announce(NodeRecord node);

  /** The nodes that announced themselves at or after {@code seenSince}, by node id. */
  List<NodeRecord> seenSince(Instant seenSince);

  /** Forgets a node that stopped. */
  void remove(String nodeId);
}
