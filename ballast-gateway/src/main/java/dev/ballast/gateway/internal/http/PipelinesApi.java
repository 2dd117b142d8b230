package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.Admission;
import dev.ballast.core.Json;
import dev.ballast.core.config.AccessConfig;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.queue.QueueQuotaExceededException;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.state.UnknownCollectionException;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.OpenAiRequestReader;
import dev.ballast.pipeline.EngineStats;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.Submission;
import dev.ballast.pipeline.SubmitRequest;
import dev.ballast.pipeline.UnknownPipelineException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/pipelines}: the node's pipelines, submitting runs, reading them and resuming dead
 * ones. Runs are scoped to the caller's tenant (an administrator reads and resumes any, see {@link
 * Roles}); another tenant's run is reported as not found, so ids cannot be probed. A caller submits
 * only the pipelines its tenant may ({@code pipelines.NAME.tenants}) and its key lists, and only
 * when it may read every collection they retrieve from.
 */
public final class PipelinesApi {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  private static final Set<String> SUBMIT_FIELDS = Set.of("input", "priority");
  private static final int MAX_PRIORITY = 1000;
  // A full queue drains as workers claim runs; a few seconds is a polite first wait.
  private static final long QUEUE_FULL_RETRY_AFTER_SECONDS = 5;
  // How long a read waits for this node's journal writer when the journal trails an ended run.
  private static final Duration CATCH_UP = Duration.ofMillis(500);

  private final Requests requests;
  private final PipelineEngine engine;
  private final JournalStore store;
  private final JournalWriter journal;
  private final String nodeId;
  private final NodeRole role;
  private final TraceContext traces;
  private final AccessConfig access;
  private final Admission admission;

  public PipelinesApi(
      Requests requests,
      PipelineEngine engine,
      JournalStore store,
      JournalWriter journal,
      String nodeId,
      NodeRole role,
      TraceContext traces,
      AccessConfig access,
      Admission admission) {
    this.requests = requests;
    this.engine = engine;
    this.store = store;
    this.journal = journal;
    this.nodeId = nodeId;
    this.role = role;
    this.traces = traces;
    this.access = access;
    this.admission = admission;
  }

  /** The {@code pipelines} section of {@code /v1/ballast/status}: this node's engine and queue. */
  JsonNode status() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("node_id", nodeId);
    root.put("role", role.wireName());
    EngineStats stats = engine.stats();
    root.put("running", stats.running());
    root.put("claimed", stats.claimed());
    root.put("stages_completed", stats.stagesCompleted());
    root.put("runs_succeeded", stats.runsSucceeded());
    root.put("runs_dead", stats.runsDead());
    root.put("parked", stats.parked());
    root.put("leases_lost", stats.leasesLost());
    QueueStats queue = engine.queueStats();
    ObjectNode q = root.putObject("queue");
    for (QueueState state : QueueState.values()) {
      q.put(state.wireName(), queue.depth(state));
    }
    q.put("oldest_ready_ms", queue.oldestReadyAge().toMillis());
    q.put("expired_leases", queue.expiredLeases());
    return root;
  }

  /** {@code GET /v1/pipelines}: the pipelines the caller may submit. */
  JsonNode definitions(Caller caller) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    engine.pipelines().stream()
        .filter(p -> maySubmit(caller, p.name()))
        .sorted(Comparator.comparing(PipelineDefinition::name))
        .forEach(p -> data.add(definition(p)));
    return root;
  }

  /**
   * {@code POST /v1/pipelines/{name}/runs}: 201 with the new run, or 200 with the run an {@code
   * Idempotency-Key} already named (header {@code x-ballast-idempotent-replayed: true}).
   */
  JsonNode submit(Caller caller, ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().get("name");
    Optional<PipelineDefinition> pipeline = engine.pipeline(name);
    if (pipeline.isEmpty()) {
      throw unknownPipeline(name);
    }
    requireSubmit(caller, pipeline.get());
    TenantConfig tenant = caller.tenant();
    Optional<String> key = Idempotency.key(req);
    JsonNode body = requests.json(req);
    OpenAiRequestReader.requireObject(body);
    body.fieldNames()
        .forEachRemaining(
            field -> {
              if (!SUBMIT_FIELDS.contains(field)) {
                throw ApiError.invalid(
                    field,
                    "Unrecognized request argument supplied: '"
                        + field
                        + "'. A run takes 'input' and optionally 'priority'.");
              }
            });
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      throw ApiError.missing("input");
    }
    // A run spends through its stages' calls; none is queued while the budget has no room.
    admission.requireBudget(tenant);
    Integer priority = priority(body);
    Submission submission;
    try {
      submission =
          engine.submit(
              new SubmitRequest(
                  name,
                  tenant.name(),
                  input,
                  key.orElse(null),
                  priority == null ? null : tenant.limits().clampPipelinePriority(priority),
                  tenant.limits().maxQueuedRuns()));
    } catch (QueueQuotaExceededException e) {
      throw new ApiError(
          429,
          "rate_limit_error",
          "tenant_queue_full",
          null,
          e.getMessage(),
          QUEUE_FULL_RETRY_AFTER_SECONDS);
    } catch (UnknownPipelineException e) {
      throw unknownPipeline(e);
    } catch (UnknownCollectionException e) {
      // The pipeline searches a collection nothing has been ingested into yet.
      throw new ApiError(409, "invalid_request_error", "unknown_collection", null, e.getMessage());
    } catch (IllegalArgumentException e) {
      // The input does not name what the pipeline pins, e.g. its conversation.
      throw ApiError.invalid("input", e.getMessage());
    }
    RunState run = submission.run();
    if (submission.created()) {
      // Linked as soon as the run id is known. Its spans are derived once its end is journaled,
      // which takes a claim and every stage: far later than this line.
      traces.join(req, res, run.runId());
    } else {
      if (!input.equals(PipelineEngine.json(run.input()))) {
        throw new ApiError(
            422,
            "invalid_request_error",
            "idempotency_key_reused",
            "Idempotency-Key",
            "This Idempotency-Key already named run '"
                + run.runId()
                + "' with a different input; use a new key for a new run.");
      }
      res.header(Idempotency.REPLAYED_HEADER, "true");
    }
    res.header(HttpApi.RUN_ID_HEADER, run.runId());
    HttpApi.sendJson(res, submission.created() ? 201 : 200, view(run));
    return null;
  }

  /** {@code GET /v1/pipelines/runs/{id}}. */
  JsonNode show(Caller tenant, ServerRequest req) {
    return view(find(tenant, req.path().pathParameters().get("id")));
  }

  /**
   * {@code GET /v1/pipelines/runs?pipeline=&state=&limit=}: newest first; {@code tenant=} for an
   * administrator.
   */
  JsonNode list(Caller caller, ServerRequest req) {
    String pipeline = param(req, "pipeline");
    String state = param(req, "state");
    String limit = param(req, "limit");
    RunFilter filter =
        new RunFilter(
            state == null ? Set.of() : states(state),
            pipeline,
            Roles.scope(caller, param(req, "tenant")),
            limit == null ? DEFAULT_LIMIT : limit(limit));
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    engine
        .list(filter)
        .forEach(r -> data.add(PipelineRunView.summary(r, engine.pipeline(r.pipeline()))));
    return root;
  }

  /**
   * {@code POST /v1/pipelines/runs/{id}/resume}: a dead run goes back to its failed stage. A tenant
   * resumes its own runs, an administrator any.
   */
  JsonNode resume(Caller tenant, ServerRequest req) {
    RunState run = find(tenant, req.path().pathParameters().get("id"));
    if (run.state() != QueueState.DEAD || !engine.resume(run.runId())) {
      // Read again: a concurrent resume may have moved it since.
      RunState now = engine.find(run.runId()).orElse(run);
      throw new ApiError(
          409,
          "invalid_request_error",
          "not_dead",
          "id",
          "Run '"
              + run.runId()
              + "' is "
              + now.state().wireName()
              + "; only a dead run can be resumed.");
    }
    return view(engine.find(run.runId()).orElseThrow());
  }

  private RunState find(Caller caller, String runId) {
    return engine
        .find(runId)
        .filter(r -> Roles.canRead(caller, r.tenant()))
        .orElseThrow(
            () ->
                new ApiError(
                    404,
                    "not_found_error",
                    "run_not_found",
                    "id",
                    "No pipeline run with id '" + runId + "'."));
  }

  private boolean maySubmit(Caller caller, String pipeline) {
    return caller.keyMaySubmit(pipeline)
        && (caller.admin() || access.maySubmit(caller.name(), pipeline));
  }

  /**
   * A caller submits a pipeline its tenant and its key may run and whose collections it may read:
   * the configuration check makes sure a pipeline's tenants can read its collections; this holds it
   * for every key, a managed key narrower than its tenant included.
   */
  private void requireSubmit(Caller caller, PipelineDefinition pipeline) {
    if (!maySubmit(caller, pipeline.name())) {
      throw new ApiError(
          403,
          "permission_error",
          "pipeline_not_allowed",
          "name",
          "This key may not submit pipeline '"
              + pipeline.name()
              + "' (see pipelines."
              + pipeline.name()
              + ".tenants and the key's pipelines).");
    }
    for (StageDefinition stage : pipeline.stages()) {
      String collection = "retrieve".equals(stage.type()) ? stage.param("collection") : null;
      if (collection != null && !Roles.canReadCollection(caller, access, collection)) {
        throw new ApiError(
            403,
            "permission_error",
            "pipeline_not_allowed",
            "name",
            "Pipeline '"
                + pipeline.name()
                + "' retrieves from a collection this key may not read (stage "
                + stage.name()
                + ").");
      }
    }
  }

  private ObjectNode view(RunState run) {
    List<JournalEntry> events = store.events(run.runId());
    if (PipelineRunView.journalBehind(run, events) && journal.flush(CATCH_UP)) {
      // The run ended on this node moments ago and its last events are still queued here.
      events = store.events(run.runId());
    }
    return PipelineRunView.full(run, engine.pipeline(run.pipeline()), events, store::blob);
  }

  private static ObjectNode definition(PipelineDefinition p) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("name", p.name());
    n.put("object", "pipeline");
    n.put("version", p.version());
    n.put("description", p.description());
    n.put("max_concurrent", p.maxConcurrent());
    n.put("priority", p.priority());
    ArrayNode stages = n.putArray("stages");
    for (StageDefinition s : p.stages()) {
      ObjectNode stage = stages.addObject();
      stage.put("name", s.name());
      stage.put("type", s.type());
      stage.put("timeout_ms", s.policy().timeout().toMillis());
      stage.put("max_attempts", s.policy().retry().maxAttempts());
      stage.put("dependency", s.policy().dependency());
      stage.put("effectful", s.policy().effectful());
    }
    return n;
  }

  private ApiError unknownPipeline(String name) {
    return unknownPipeline(
        new UnknownPipelineException(
            name, engine.pipelines().stream().map(PipelineDefinition::name).toList()));
  }

  private static ApiError unknownPipeline(UnknownPipelineException e) {
    return new ApiError(404, "not_found_error", "unknown_pipeline", "name", e.getMessage());
  }

  private static Integer priority(JsonNode body) {
    JsonNode node = body.get("priority");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw ApiError.wrongType("priority", "an integer");
    }
    int priority = node.asInt();
    if (Math.abs(priority) > MAX_PRIORITY) {
      throw ApiError.invalid(
          "priority",
          "Invalid 'priority': must be between -"
              + MAX_PRIORITY
              + " and "
              + MAX_PRIORITY
              + ", but was "
              + priority
              + ".");
    }
    return priority;
  }

  private static String param(ServerRequest req, String name) {
    if (!req.query().contains(name)) {
      return null;
    }
    String value = req.query().get(name).trim();
    return value.isEmpty() ? null : value;
  }

  private static Set<QueueState> states(String value) {
    Set<QueueState> states = EnumSet.noneOf(QueueState.class);
    for (String name : value.split(",")) {
      try {
        states.add(QueueState.parse(name.trim()));
      } catch (IllegalArgumentException e) {
        Set<String> known = new TreeSet<>();
        Arrays.stream(QueueState.values()).forEach(s -> known.add(s.wireName()));
        throw ApiError.invalid(
            "state",
            "Invalid 'state': '"
                + name.trim()
                + "'. Expected one of "
                + String.join(", ", known)
                + " (several separated by commas).");
      }
    }
    return states;
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiError.invalid(
            "limit",
            "Invalid 'limit': must be between 1 and " + MAX_LIMIT + ", but was " + limit + ".");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiError.invalid(
          "limit", "Invalid 'limit': expected an integer, but was '" + value + "'.");
    }
  }
}
