package dev.ballast.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.spi.NodeStore.NodeRecord;
import dev.ballast.core.spi.Store;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compatibility kit of the node registry: every backend runs it (docs/cluster.md). */
public abstract class NodeStoreContract {
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  protected Store store;

  /** A new, empty store; closed by the kit. */
  protected abstract Store newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static NodeRecord node(String id, String version, Instant seenAt) {
    return new NodeRecord(id, "both", version, T0, T0, seenAt);
  }

  @Test
  void aNewAnnouncementReplacesTheNodesPreviousOne() {
    store.nodes().announce(node("a", "v1", T0));
    store
        .nodes()
        .announce(
            new NodeRecord(
                "a", "worker", "v2", T0.plusSeconds(5), T0.plusSeconds(99), T0.plusSeconds(5)));

    assertThat(store.nodes().seenSince(T0))
        .containsExactly(
            new NodeRecord("a", "worker", "v2", T0.plusSeconds(5), T0, T0.plusSeconds(5)));
  }

  @Test
  void listsTheNodesSeenSinceAnInstantByIdAndForgetsARemovedOne() {
    store.nodes().announce(node("b", "v1", T0.plusSeconds(10)));
    store.nodes().announce(node("a", "v2", T0.plusSeconds(20)));
    store.nodes().announce(node("stale", "v0", T0));
    store.nodes().announce(node("c", "v1", T0.plusSeconds(30)));
    store.nodes().remove("c");

    assertThat(store.nodes().seenSince(T0.plusSeconds(10)))
        .extracting(NodeRecord::nodeId)
        .containsExactly("a", "b");
  }
}
