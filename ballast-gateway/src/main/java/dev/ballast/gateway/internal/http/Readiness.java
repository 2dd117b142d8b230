package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.Resilience;
import dev.ballast.core.Json;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.IndexStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /readyz}: whether a load balancer should send this node traffic, with a reason per
 * check. Ready when every check passes:
 *
 * <ul>
 *   <li>{@code store}: a primary-key read answers within {@link #STORE_TIMEOUT};
 *   <li>{@code migrations}: the schema was migrated when the node opened the store (it does not
 *       start otherwise), so this fails only with the store;
 *   <li>{@code index}: no collection's index has stayed behind the store's last committed
 *       generation for longer than {@link #INDEX_LAG_BOUND} (a pinned search would wait for it);
 *   <li>{@code deployments}: every model group has a deployment whose breaker lets calls through;
 *   <li>{@code draining}: the node is not shutting down.
 * </ul>
 *
 * Thread-safe; every call checks afresh (a probe every few seconds costs one indexed read).
 */
final class Readiness {
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
  static final Duration INDEX_LAG_BOUND = Duration.ofSeconds(60);

  private final Store store;
  private final Supplier<List<IndexStatus>> indexes;
  // The configuration running now: a reload may change the groups.
  private final Supplier<Collection<GroupConfig>> groups;
  private final Resilience resilience;
  private final Drain drain;
  private final Clock clock;
  private final Map<String, Instant> laggingSince = new ConcurrentHashMap<>();

  Readiness(
      Store store,
      Supplier<List<IndexStatus>> indexes,
      Supplier<Collection<GroupConfig>> groups,
      Resilience resilience,
      Drain drain,
      Clock clock) {
    this.store = store;
    this.indexes = indexes;
    this.groups = groups;
    this.resilience = resilience;
    this.drain = drain;
    this.clock = clock;
  }

  /** The report; {@code ready} says whether to answer 200 or 503. */
  record Report(boolean ready, ObjectNode body) {}

  Report check() {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode checks = Json.mapper().createObjectNode();
    String storeProblem = store();
    boolean ready = put(checks, "store", storeProblem, "reachable");
    ready &=
        put(
            checks,
            "migrations",
            storeProblem == null ? null : "unknown: the store is unreachable",
            "applied when the node opened the store");
    ready &= put(checks, "index", index(), "every collection's index within " + bound());
    ready &= put(checks, "deployments", deployments(), "every group has a usable deployment");
    ready &= put(checks, "draining", drain.draining() ? "the node is shutting down" : null, "no");
    body.put("status", ready ? "ready" : "not_ready");
    body.set("checks", checks);
    return new Report(ready, body);
  }

  private static boolean put(ObjectNode checks, String name, String problem, String fine) {
    ObjectNode check = checks.putObject(name);
    check.put("ok", problem == null);
    check.put("reason", problem == null ? fine : problem);
    return problem == null;
  }

  private String store() {
    CompletableFuture<Void> probe =
        CompletableFuture.runAsync(
            () -> store.journal().findRun("readyz-probe"),
            command -> Thread.ofVirtual().name("readyz-store").start(command));
    try {
      probe.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (java.util.concurrent.TimeoutException e) {
      probe.cancel(true);
      return "no answer within " + STORE_TIMEOUT.toMillis() + " ms";
    } catch (java.util.concurrent.ExecutionException e) {
      return "unreachable: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String index() {
    Instant now = clock.instant();
    StringBuilder behind = new StringBuilder();
    for (IndexStatus s : indexes.get()) {
      if (s.lag() == 0) {
        laggingSince.remove(s.collection());
        continue;
      }
      Instant since = laggingSince.computeIfAbsent(s.collection(), c -> now);
      if (Duration.between(since, now).compareTo(INDEX_LAG_BOUND) > 0) {
        behind
            .append(behind.isEmpty() ? "" : "; ")
            .append(s.collection())
            .append(" at generation ")
            .append(s.applied())
            .append(" of ")
            .append(s.committed())
            .append(" since ")
            .append(since);
      }
    }
    return behind.isEmpty() ? null : "behind for more than " + bound() + ": " + behind;
  }

  private String deployments() {
    StringBuilder unusable = new StringBuilder();
    for (GroupConfig group : groups.get()) {
      boolean usable = group.deployments().stream().anyMatch(d -> resilience.health(d).available());
      if (!usable) {
        unusable
            .append(unusable.isEmpty() ? "" : ", ")
            .append(group.name())
            .append(" (")
            .append(String.join(", ", group.deployments()))
            .append(": breakers open or cooling down)");
      }
    }
    return unusable.isEmpty() ? null : "no usable deployment in " + unusable;
  }

  private static String bound() {
    return INDEX_LAG_BOUND.toSeconds() + " s";
  }
}
