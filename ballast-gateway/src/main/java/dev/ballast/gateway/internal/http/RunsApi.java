package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.RunCursor;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.WireJson;
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
 * to the caller's tenant (an administrator reads every tenant's, see {@link Roles}). A run the
 * caller may not read is reported as not found, not as forbidden, so ids cannot be probed.
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

  /** The journal these runs are read from, for the doors that read runs back as their own. */
  JournalStore store() {
    return store;
  }

  /**
   * {@code GET /v1/ballast/runs/{id}} and {@code /v1/ballast/runs/{id}/trace}: one route, because a
   * pipeline stage's call is a run named {@code RUN/STAGE/ATTEMPT}, so ids hold slashes; no id ends
   * in {@code /trace} (the last segment of a call's id is its attempt number).
   */
  JsonNode get(Caller tenant, String path) {
    if (path.endsWith(TRACE_SUFFIX)) {
      return trace(tenant, path.substring(0, path.length() - TRACE_SUFFIX.length()));
    }
    return show(tenant, path);
  }

  /** The run's execution tree (see {@link RunTraces}). */
  JsonNode trace(Caller tenant, String runId) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "run.trace");
    root.put("id", runId);
    root.set("root", WireJson.tree(ownTrace(tenant, "id", runId)));
    return root;
  }

  /** {@code GET /v1/ballast/diff?a=RUN&b=RUN}: two runs of the caller's tenant aligned. */
  JsonNode diff(Caller tenant, ServerRequest req) {
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
    root.set("first_divergence", WireJson.tree(diff.firstDivergence()));
    root.set("rows", WireJson.tree(diff.rows()));
    return root;
  }

  /** The run's tree when it is the caller's; 404 naming {@code param} otherwise. */
  private TraceNode ownTrace(Caller tenant, String param, String runId) {
    Optional<TraceNode> trace = traces.trace(runId);
    if (trace.isEmpty()) {
      // The run may still be in the journal queue: give the writer a moment before saying no.
      journal.flush(Duration.ofSeconds(2));
      trace = traces.trace(runId);
    }
    if (trace.isEmpty()
        || !Roles.canRead(tenant, String.valueOf(trace.get().attributes().get("tenant")))) {
      throw notFound(param, runId);
    }
    return trace.get();
  }

  private static ApiError notFound(String param, String runId) {
    return new ApiError(
        404, "invalid_request_error", "run_not_found", param, "No run with id '" + runId + "'.");
  }

  /**
   * {@code GET /v1/ballast/runs}: one page, newest first. {@code next_cursor} (with {@code
   * has_more}) names the page after it, passed back as {@code after}; {@code tenant} is for
   * administrators (see {@link Roles}).
   */
  JsonNode list(Caller tenant, ServerRequest req) {
    var q = req.query();
    int limit = q.contains("limit") ? limit(q.get("limit")) : 50;
    RunQuery query =
        new RunQuery(
            Roles.scope(tenant, text(req, "tenant")),
            text(req, "model"),
            q.contains("status") ? status(q.get("status")) : null,
            text(req, "error_class"),
            q.contains("since") ? instant("since", q.get("since")) : null,
            q.contains("until") ? instant("until", q.get("until")) : null,
            limit,
            text(req, "pipeline"),
            q.contains("after") ? RunCursors.decode(q.get("after")) : null);
    // One more than asked tells whether a next page exists without counting the runs. At the
    // largest page a full page says "maybe": the next one may then be empty.
    boolean largest = limit == RunQuery.MAX_LIMIT;
    List<RunSummary> runs = store.listRuns(largest ? query : query.withLimit(limit + 1));
    boolean more = largest ? runs.size() == limit : runs.size() > limit;
    List<RunSummary> page = more ? runs.subList(0, limit) : runs;
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    page.forEach(r -> data.add(summary(r)));
    root.put("has_more", more);
    if (more) {
      root.put("next_cursor", RunCursors.encode(RunCursor.after(page.get(page.size() - 1))));
    } else {
      root.putNull("next_cursor");
    }
    return root;
  }

  private static String text(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }

  JsonNode show(Caller tenant, String runId) {
    Optional<RunSummary> run = store.findRun(runId);
    if (run.isEmpty()) {
      // The run may still be in the journal queue: give the writer a moment before saying no.
      journal.flush(Duration.ofSeconds(2));
      run = store.findRun(runId);
    }
    if (run.isEmpty() || !Roles.canRead(tenant, run.get().tenant())) {
      throw notFound("id", runId);
    }
    ObjectNode root = summary(run.get());
    ArrayNode events = root.putArray("journal");
    for (JournalEntry entry : store.events(runId)) {
      ObjectNode e = events.addObject();
      e.put("seq", entry.seq());
      e.put("at", entry.at().toString());
      e.put("type", entry.event().typeName());
      ObjectNode body = WireJson.tree(entry.event());
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
    ObjectNode node = WireJson.tree(r);
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

  // Instants the store can compare as epoch milliseconds; Instant.parse accepts years up to
  // ±1,000,000,000, whose milliseconds overflow a long.
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static Instant instant(String param, String value) {
    Instant instant;
    try {
      instant = Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid(
          param,
          "Invalid '" + param + "': expected an ISO-8601 instant like 2026-11-22T10:00:00Z.");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw ApiError.invalid(
          param, "Invalid '" + param + "': expected an instant between the years 1 and 9999.");
    }
    return instant;
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
