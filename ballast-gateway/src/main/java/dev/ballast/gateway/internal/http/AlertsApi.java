package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.spi.WatchStore;
import dev.ballast.core.watch.AlertRecord;
import dev.ballast.core.watch.AlertState;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.WireJson;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.List;

/**
 * Watch's alerts, read from the store (every node's):
 *
 * <ul>
 *   <li>{@code GET /v1/ballast/alerts[?state=open|resolved][&limit=100]}: newest first;
 *   <li>{@code GET /v1/ballast/alerts/{id}}: one alert with its numbers and diff.
 * </ul>
 *
 * An administrator's key reads every alert; a tenant's key only those of its own tenant's series
 * ({@code tenant:NAME}), since deployment and group series mix every tenant's traffic. Served only
 * while Watch runs on the node: otherwise the paths are unknown (404), which the console reads as
 * "Watch is not enabled on this node".
 */
public final class AlertsApi {
  private final WatchStore store;

  public AlertsApi(WatchStore store) {
    this.store = store;
  }

  JsonNode list(Caller caller, ServerRequest req) {
    AlertState state = state(param(req, "state"));
    int limit = limit(param(req, "limit"));
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    List<AlertRecord> alerts = store.alerts(state, caller.admin() ? limit : 1_000);
    int n = 0;
    for (AlertRecord a : alerts) {
      if (n < limit && visible(caller, a)) {
        data.add(json(a));
        n++;
      }
    }
    return root;
  }

  JsonNode show(Caller caller, ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    return store
        .alert(id)
        .filter(a -> visible(caller, a))
        .map(AlertsApi::json)
        .orElseThrow(
            () ->
                new ApiError(
                    404,
                    "invalid_request_error",
                    "alert_not_found",
                    "id",
                    "No alert with id '" + id + "' that this key may read."));
  }

  /** The administrator's key reads every alert; a tenant's its own {@code tenant:NAME[/...]}. */
  static boolean visible(Caller caller, AlertRecord a) {
    String own = "tenant:" + caller.name();
    return caller.admin() || a.series().equals(own) || a.series().startsWith(own + "/");
  }

  static ObjectNode json(AlertRecord a) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("object", "alert");
    n.put("id", a.id());
    n.put("series", a.series());
    n.put("signal", a.signal());
    n.put("kind", a.kind());
    n.put("state", a.state().wireName());
    n.put("severity", a.severity());
    n.put("title", a.title());
    time(n, "opened_at", a.openedAt());
    time(n, "updated_at", a.updatedAt());
    time(n, "resolved_at", a.resolvedAt());
    time(n, "onset_at", a.onsetAt());
    if (a.baseline() != null) {
      n.put("baseline", a.baseline());
    }
    if (a.current() != null) {
      n.put("current", a.current());
    }
    if (a.unit() != null) {
      n.put("unit", a.unit());
    }
    n.put("samples", a.samples());
    n.put("last_good_run", a.lastGoodRun());
    n.put("first_bad_run", a.firstBadRun());
    n.set("numbers", WireJson.tree(a.details()));
    ArrayNode diff = n.putArray("diff");
    for (AlertRecord.DiffRow row : a.diff()) {
      diff.addObject()
          .put("scope", row.scope())
          .put("field", row.field())
          .put("good", row.good())
          .put("bad", row.bad());
    }
    return n;
  }

  private static void time(ObjectNode n, String field, Instant at) {
    if (at == null) {
      n.putNull(field);
    } else {
      n.put(field, at.toString());
    }
  }

  private static AlertState state(String text) {
    if (text == null) {
      return null;
    }
    return AlertState.of(text)
        .orElseThrow(
            () ->
                ApiError.invalid(
                    "state", "Invalid 'state': '" + text + "'. Expected open or resolved."));
  }

  private static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 1000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalid("limit", "Invalid 'limit': expected a whole number from 1 to 1000.");
  }

  private static String param(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }
}
