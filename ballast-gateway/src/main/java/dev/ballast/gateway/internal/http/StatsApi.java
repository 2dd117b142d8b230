package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.spi.Aggregates;
import dev.ballast.core.stats.GenerationStats;
import dev.ballast.core.stats.PipelineStats;
import dev.ballast.core.stats.StatsDimension;
import dev.ballast.core.stats.StatsQuery;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.WireJson;
import io.helidon.webserver.http.ServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The aggregate endpoints the console draws from, computed by the store:
 *
 * <ul>
 *   <li>{@code GET /v1/ballast/stats?window=1h&by=group|deployment[&tenant=]}: time series per
 *       model group or deployment (see {@link StatsSeries} for the shape);
 *   <li>{@code GET /v1/ballast/stats/pipelines[?tenant=]}: each pipeline's queue now;
 *   <li>{@code GET /v1/collections/{name}/generations}: what each generation of a collection the
 *       caller may read holds;
 *   <li>{@code GET /v1/ballast/whoami}: the caller's tenant and role.
 * </ul>
 *
 * Scoped like the run list: a tenant key sees its own tenant, an administrator any or all ({@link
 * Roles}). The caller is authenticated before a handler runs ({@link Authentication}).
 */
public final class StatsApi {
  static final Duration MAX_WINDOW = Duration.ofDays(7);
  static final Duration RECENT = Duration.ofMinutes(5);

  private final Aggregates stats;
  private final Clock clock;

  public StatsApi(Aggregates stats, Clock clock) {
    this.stats = stats;
    this.clock = clock;
  }

  /**
   * {@code GET /v1/collections/{name}/generations?limit=20}: the latest generations, newest first,
   * with the documents and chunks live in each and the chunks each added and retired.
   */
  JsonNode generations(String name, ServerRequest req) {
    String limitText = param(req, "limit");
    int limit = 20;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 100) {
        throw ApiError.invalid("limit", "Invalid 'limit': expected a whole number from 1 to 100.");
      }
    }
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    root.put("collection", name);
    ArrayNode data = root.putArray("data");
    for (GenerationStats g : stats.generations(name, limit)) {
      data.addObject()
          .put("generation", g.generation())
          .put("documents", g.documents())
          .put("chunks", g.chunks())
          .put("added", g.added())
          .put("retired", g.retired());
    }
    return root;
  }

  /** The store's aggregates this API reads, which the spend report reads too. */
  Aggregates aggregates() {
    return stats;
  }

  JsonNode whoami(Caller caller) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "caller");
    root.put("tenant", caller.name());
    root.put("role", caller.role());
    if (caller.key() != null) {
      root.put("key_id", caller.key().id());
    }
    return root;
  }

  JsonNode series(Caller caller, ServerRequest req) {
    String tenant = Roles.scope(caller, param(req, "tenant"));
    Duration window = window(param(req, "window"));
    StatsDimension by = dimension(param(req, "by"));
    Duration step = StatsSeries.step(window);
    Instant now = clock.instant();
    // Buckets aligned to the step, so that a refresh moves the chart by whole buckets.
    long stepMillis = step.toMillis();
    Instant until = Instant.ofEpochMilli((now.toEpochMilli() / stepMillis + 1) * stepMillis);
    Instant since = until.minus(window);
    StatsQuery query = new StatsQuery(tenant, since, until, step, by);
    return StatsSeries.json(query, stats.series(query));
  }

  JsonNode pipelines(Caller caller, ServerRequest req) {
    String tenant = Roles.scope(caller, param(req, "tenant"));
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    root.put("recent_window_seconds", RECENT.toSeconds());
    ArrayNode data = root.putArray("data");
    for (PipelineStats p : stats.pipelineStats(tenant, clock.instant(), RECENT)) {
      ObjectNode n = data.addObject();
      n.put("pipeline", p.pipeline());
      ObjectNode queue = n.putObject("queue");
      for (QueueState state : QueueState.values()) {
        queue.put(state.wireName(), p.depth().getOrDefault(state, 0L));
      }
      n.put("oldest_ready_ms", p.oldestReadyAge().toMillis());
      n.set("failures_by_stage", WireJson.tree(p.failuresByStage()));
      n.put("succeeded_recently", p.succeededRecently());
      n.put("succeeded_per_second", p.succeededPerSecond());
    }
    return root;
  }

  private static String param(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }

  /** {@code 15m}, {@code 1h}, {@code 7d}...: from one minute to seven days; one hour by default. */
  static Duration window(String text) {
    if (text == null) {
      return Duration.ofHours(1);
    }
    Duration window = null;
    if (text.matches("[1-9][0-9]{0,4}[smhd]")) {
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      window =
          switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    }
    if (window == null
        || window.compareTo(Duration.ofMinutes(1)) < 0
        || window.compareTo(MAX_WINDOW) > 0) {
      throw ApiError.invalid(
          "window",
          "Invalid 'window': '"
              + text
              + "'. Expected a length from 1m to 7d such as 15m, 1h, 24h or 7d.");
    }
    return window;
  }

  private static StatsDimension dimension(String text) {
    if (text == null) {
      return StatsDimension.GROUP;
    }
    try {
      return StatsDimension.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("by", "Invalid 'by': '" + text + "'. Expected group or deployment.");
    }
  }
}
