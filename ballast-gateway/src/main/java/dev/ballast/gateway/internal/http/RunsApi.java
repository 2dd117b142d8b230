package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.replay.trace.RunDiff;
import dev.ballast.replay.trace.RunDiffs;
import dev.ballast.replay.trace.RunTraces;
import dev.ballast.replay.trace.TraceNode;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/ballast/runs} and {@code /v1/ballast/runs/{id}}: runs and their journals, scoped
 * to the caller's tenant. A run of another tenant is reported as not found, not as forbidden, so
 * ids cannot be probed.
 */
public final class RunsApi {
  private static final String TRACE_SUFFIX = "/trace";

  private final JournalStore store;
  private final JournalWriter journal;
  private final RunTraces traces;

  public RunsApi(JournalStore store, JournalWriter journal) {
    this.store = store;
    this.journal = journal;
    this.traces = new RunTraces(store);
  }

  /**
   * {@code GET /v1/ballast/runs/{id}} and {@code /v1/ballast/runs/{id}/trace}: one route, because a
   * pipeline stage's call is a run named {@code RUN/STAGE/ATTEMPT}, so ids hold slashes; no id ends
   * in {@code /trace} (the last segment of a call's id is its attempt number).
   */
  JsonNode get(TenantConfig tenant, String path) {
    if (path.endsWith(TRACE_SUFFIX)) {
      return trace(tenant, path.substring(0, path.length() - TRACE_SUFFIX.length()));
    }
    return show(tenant, path);
  }

  /** The run's execution tree (see {@link RunTraces}). */
  JsonNode trace(TenantConfig tenant, String runId) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "run.trace");
    root.put("id", runId);
    root.set("root", Json.mapper().valueToTree(ownTrace(tenant, "id", runId)));
    return root;
  }

  /** {@code GET /v1/ballast/diff?a=RUN&b=RUN}: two runs of the caller's tenant aligned. */
  JsonNode diff(TenantConfig tenant, ServerRequest req) {
    var q = req.query();
    String a = q.contains("a") ? q.get("a") : null;
    String b = q.contains("b") ? q.get("b") : null;
    if (a == null || a.isBlank() || b == null || b.isBlank()) {
      throw ApiError.invalid(
          a == null || a.isBlank() ? "a" : "b",
          "Both 'a' and 'b' are required: the ids of the two runs to compare.");
    }
    RunDiff diff = RunDiffs.diff(ownTrace(tenant, "a", a), ownTrace(tenant, "b", b));
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "run.diff");
    root.put("a", a);
    root.put("b", b);
    root.put("identical", diff.identical());
    root.set("first_divergence", Json.mapper().valueToTree(diff.firstDivergence()));
    root.set("rows", Json.mapper().valueToTree(diff.rows()));
    return root;
  }

  /** The run's tree when it is the caller's; 404 naming {@code param} otherwise. */
  private TraceNode ownTrace(TenantConfig tenant, String param, String runId) {
    Optional<TraceNode> trace = traces.trace(runId);
    if (trace.isEmpty()) {
      // The run may still be in the journal queue: give the writer a moment before saying no.
      journal.flush(Duration.ofSeconds(2));
      trace = traces.trace(runId);
    }
    if (trace.isEmpty() || !tenant.name().equals(trace.get().attributes().get("tenant"))) {
      throw notFound(param, runId);
    }
    return trace.get();
  }

  private static ApiError notFound(String param, String runId) {
    return new ApiError(
        404, "invalid_request_error", "run_not_found", param, "No run with id '" + runId + "'.");
  }

  JsonNode list(TenantConfig tenant, ServerRequest req) {
    var q = req.query();
    RunQuery query =
        new RunQuery(
            tenant.name(),
            q.contains("model") ? q.get("model") : null,
            q.contains("status") ? status(q.get("status")) : null,
            q.contains("error_class") ? q.get("error_class") : null,
            q.contains("since") ? instant("since", q.get("since")) : null,
            q.contains("until") ? instant("until", q.get("until")) : null,
            q.contains("limit") ? limit(q.get("limit")) : 50,
            q.contains("pipeline") ? q.get("pipeline") : null);
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    store.listRuns(query).forEach(r -> data.add(summary(r)));
    return root;
  }

  JsonNode show(TenantConfig tenant, String runId) {
    Optional<RunSummary> run = store.findRun(runId);
    if (run.isEmpty()) {
      // The run may still be in the journal queue: give the writer a moment before saying no.
      journal.flush(Duration.ofSeconds(2));
      run = store.findRun(runId);
    }
    if (run.isEmpty() || !tenant.name().equals(run.get().tenant())) {
      throw notFound("id", runId);
    }
    ObjectNode root = summary(run.get());
    ArrayNode events = root.putArray("journal");
    for (JournalEntry entry : store.events(runId)) {
      ObjectNode e = events.addObject();
      e.put("seq", entry.seq());
      e.put("at", entry.at().toString());
      e.put("type", entry.event().typeName());
      ObjectNode body = Json.mapper().valueToTree(entry.event());
      body.remove("type");
      expandPayloads(body, entry.event().payloads());
      e.set("event", body);
    }
    return root;
  }

  /** Replaces payload references with their content so the journal reads as one document. */
  private void expandPayloads(ObjectNode body, List<Payload> payloads) {
    body.properties()
        .forEach(
            field -> {
              JsonNode value = field.getValue();
              if (value.isObject() && value.has("hash") && value.has("size") && value.size() == 2) {
                String hash = value.get("hash").asText();
                store
                    .blob(hash)
                    .ifPresent(
                        bytes -> {
                          ObjectNode expanded = ((ObjectNode) value);
                          String text = new String(bytes, StandardCharsets.UTF_8);
                          try {
                            expanded.set("content", Json.mapper().readTree(text));
                          } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                            expanded.put("content", text);
                          }
                        });
              }
            });
  }

  static ObjectNode summary(RunSummary r) {
    ObjectNode node = Json.mapper().valueToTree(r);
    node.put("status", r.status().wireName());
    return node;
  }

  private static RunStatus status(String value) {
    try {
      return RunStatus.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(
          "status", "Invalid 'status': '" + value + "'. Expected running, succeeded or failed.");
    }
  }

  private static Instant instant(String param, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid(
          param,
          "Invalid '" + param + "': expected an ISO-8601 instant like 2026-11-22T10:00:00Z.");
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit < 1 || limit > RunQuery.MAX_LIMIT) {
        throw ApiError.invalid(
            "limit", "Invalid 'limit': must be between 1 and " + RunQuery.MAX_LIMIT + ".");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiError.invalid("limit", "Invalid 'limit': expected an integer.");
    }
  }
}
