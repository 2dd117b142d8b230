package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.Resilience;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.spi.NodeStore.NodeRecord;
import dev.ballast.core.stats.PipelineStats;
import dev.ballast.gateway.internal.reload.LiveConfig;
import dev.ballast.gateway.internal.wire.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code GET /v1/ballast/status}, scoped by role (docs/security.md): an administrator sees this
 * node — its journal writer, every deployment's breaker, in-flight calls and retry budgets, its
 * pipeline engine and the whole run queue; a tenant sees only its own counters, its runs in the
 * queue by state, since the node's details and other tenants' queue depths are not its business.
 */
public final class StatusApi {
  private final JournalWriter journal;
  private final Resilience resilience;
  private final PipelinesApi pipelines;
  private final Aggregates stats;
  private final Clock clock;
  private final LiveConfig live;
  private final String nodeId;
  private final Supplier<List<NodeRecord>> nodes;

  /**
   * @param nodes the nodes sharing the store as they last announced themselves, this one included
   */
  public StatusApi(
      JournalWriter journal,
      Resilience resilience,
      PipelinesApi pipelines,
      Aggregates stats,
      Clock clock,
      LiveConfig live,
      String nodeId,
      Supplier<List<NodeRecord>> nodes) {
    this.live = live;
    this.nodeId = nodeId;
    this.nodes = nodes;
    this.journal = journal;
    this.resilience = resilience;
    this.pipelines = pipelines;
    this.stats = stats;
    this.clock = clock;
  }

  JsonNode status(Caller caller) {
    return caller.admin() ? node() : tenant(caller);
  }

  private JsonNode tenant(Caller caller) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "status");
    root.put("scope", "tenant");
    root.put("tenant", caller.name());
    Map<QueueState, Long> depth = new EnumMap<>(QueueState.class);
    for (PipelineStats p : stats.pipelineStats(caller.name(), clock.instant(), Duration.ZERO)) {
      p.depth().forEach((state, n) -> depth.merge(state, n, Long::sum));
    }
    ObjectNode queue = root.putObject("pipelines").putObject("queue");
    for (QueueState state : QueueState.values()) {
      queue.put(state.wireName(), depth.getOrDefault(state, 0L));
    }
    return root;
  }

  private JsonNode node() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "status");
    root.put("scope", "node");
    root.put("node_id", nodeId);
    LiveConfig.Loaded loaded = live.current();
    ObjectNode config = root.putObject("config");
    config.put("version", loaded.version());
    config.put("loaded_at", loaded.loadedAt().toString());
    cluster(root, loaded);
    root.set("journal", WireJson.tree(journal.stats()));
    ObjectNode deployments = root.putObject("deployments");
    resilience
        .allHealth()
        .forEach(
            (name, health) -> {
              ObjectNode d = deployments.putObject(name);
              d.put("breaker", health.state().wireName());
              health.cooldownUntil().ifPresent(until -> d.put("cooldown_until", until.toString()));
              d.put("in_flight", resilience.bulkhead(name).inUse());
              d.put("retry_budget_remaining", resilience.budgets().forDeployment(name).remaining());
              resilience
                  .learnedFirstToken(name)
                  .ifPresent(t -> d.put("learned_first_token_timeout_ms", t.toMillis()));
              // prefill, or instruction once the deployment rejected a prefill (or as configured).
              d.put("continuation", resilience.continuation(name).wireName());
            });
    root.put("retry_budget_remaining", resilience.budgets().global().remaining());
    root.set("pipelines", pipelines.status());
    return root;
  }

  /**
   * Every node sharing the store with the configuration version it runs, and whether they agree.
   * The registry is informative: when the store cannot be read, this node's own entry stands in and
   * {@code nodes_error} says why.
   */
  private void cluster(ObjectNode root, LiveConfig.Loaded loaded) {
    List<NodeRecord> listed;
    try {
      listed = nodes.get();
    } catch (RuntimeException e) {
      root.put("nodes_error", "the node registry cannot be read: " + e.getMessage());
      listed = List.of();
    }
    Set<String> versions = new TreeSet<>();
    versions.add(loaded.version());
    ArrayNode array = root.putArray("nodes");
    for (NodeRecord n : listed) {
      ObjectNode node = array.addObject();
      node.put("node_id", n.nodeId());
      node.put("this_node", n.nodeId().equals(nodeId));
      node.put("role", n.role());
      node.put("config_version", n.configVersion());
      node.put("config_loaded_at", n.configLoadedAt().toString());
      node.put("started_at", n.startedAt().toString());
      node.put("seen_at", n.seenAt().toString());
      versions.add(n.configVersion());
    }
    root.put("config_versions_agree", versions.size() == 1);
    versions.forEach(root.putArray("config_versions")::add);
  }
}
