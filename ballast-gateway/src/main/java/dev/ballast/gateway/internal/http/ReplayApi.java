package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.calls.Admission;
import dev.ballast.calls.CallRefusedException;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.WireJson;
import dev.ballast.replay.Overrides;
import dev.ballast.replay.ReplayException;
import dev.ballast.replay.Replayer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/ballast/runs/{id}/replay}: replays a run of the caller's tenant. An empty body
 * replays deterministically; {@code {"group": G, "prompts": {STAGE: PROMPT}, "from_stage": S}} is a
 * what-if. Answers the replay report; 404 for an unknown run (or one of another tenant), 400 for a
 * bad override.
 */
public final class ReplayApi {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayApi.class);

  private final Replayer replayer;
  private final JournalStore store;
  private final JournalWriter journal;
  private final Authentication authentication;
  private final Requests requests;
  private final Admission admission;

  public ReplayApi(
      Replayer replayer,
      JournalStore store,
      JournalWriter journal,
      Authentication authentication,
      Requests requests,
      Admission admission) {
    this.replayer = replayer;
    this.store = store;
    this.journal = journal;
    this.authentication = authentication;
    this.requests = requests;
    this.admission = admission;
  }

  /** Registered before the node's other routes, whose catch-all would answer its path first. */
  public void register(HttpRouting.Builder routing) {
    routing.post("/v1/ballast/runs/{id}/replay", this::handle);
  }

  private void handle(ServerRequest req, ServerResponse res) {
    try {
      HttpApi.sendJson(res, 200, replay(authentication.authenticate(req), req));
    } catch (ApiError e) {
      HttpApi.sendError(res, e, false);
    } catch (CallRefusedException e) {
      HttpApi.sendError(res, HttpErrors.answer(e).orElseThrow(), false);
    } catch (RuntimeException e) {
      LOG.error("replay of {} failed", req.path().pathParameters().get("id"), e);
      HttpApi.sendError(
          res,
          new ApiError(500, "server_error", "replay_failed", null, "The replay failed: " + e),
          false);
    }
  }

  /**
   * Replays a run of the caller's own tenant only, an administrator's included: a replay acts (a
   * what-if calls models and spends), and acting for another tenant is not reading its runs.
   */
  JsonNode replay(Caller caller, ServerRequest req) {
    TenantConfig tenant = caller.tenant();
    String runId = req.path().pathParameters().get("id");
    Optional<RunSummary> run = store.findRun(runId);
    if (run.isEmpty()) {
      journal.flush(Duration.ofSeconds(2));
      run = store.findRun(runId);
    }
    if (run.isEmpty() || !tenant.name().equals(run.get().tenant())) {
      throw notFound(runId);
    }
    Overrides overrides = overrides(req.content().hasEntity() ? requests.json(req) : null);
    requireAllowed(caller, run.get(), overrides);
    if (!overrides.isEmpty()) {
      // A what-if's overridden calls go live and spend: refused at once once the budget is spent
      // (each live call is admitted as well, as a client's would be).
      admission.requireBudget(tenant);
    }
    try {
      return WireJson.tree(replayer.replay(runId, overrides));
    } catch (ReplayException e) {
      throw e.reason() == ReplayException.Reason.UNKNOWN_RUN
          ? notFound(runId)
          : ApiError.invalid(null, e.getMessage());
    }
  }

  /**
   * A managed key narrowed to some model groups or pipelines replays only what it could have run: a
   * what-if calls models live and spends as the caller's tenant.
   */
  private static void requireAllowed(Caller caller, RunSummary run, Overrides overrides) {
    boolean pipeline = "pipeline".equals(run.kind());
    if (pipeline && !caller.keyMaySubmit(run.operation())) {
      throw new ApiError(
          403,
          "permission_error",
          "pipeline_not_allowed",
          "id",
          "This key may not replay a run of pipeline '" + run.operation() + "'.");
    }
    // A pipeline's own calls follow its stages; a call run names the group it called.
    for (String group : new String[] {pipeline ? null : run.model(), overrides.group()}) {
      if (group != null && !caller.mayCall(group)) {
        throw new ApiError(
            403,
            "permission_error",
            "model_not_allowed",
            "group",
            "This key may not replay with model '" + group + "'.");
      }
    }
  }

  static Overrides overrides(JsonNode body) {
    if (body == null || body.isNull() || body.isEmpty()) {
      return Overrides.NONE;
    }
    if (!body.isObject()) {
      throw ApiError.wrongType("body", "an object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("group") && !name.equals("prompts") && !name.equals("from_stage")) {
        throw ApiError.invalid(
            name, "unknown override \"" + name + "\"; use group, prompts or from_stage");
      }
    }
    Map<String, String> prompts = new HashMap<>();
    JsonNode p = body.path("prompts");
    if (!p.isMissingNode() && !p.isObject()) {
      throw ApiError.wrongType("prompts", "an object of stage to prompt name");
    }
    p.properties()
        .forEach(e -> prompts.put(e.getKey(), text(e.getValue(), "prompts." + e.getKey())));
    try {
      return new Overrides(
          text(body.get("group"), "group"), prompts, text(body.get("from_stage"), "from_stage"));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(null, e.getMessage());
    }
  }

  private static String text(JsonNode node, String param) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw ApiError.wrongType(param, "a string");
    }
    return node.asText();
  }

  private static ApiError notFound(String runId) {
    return new ApiError(404, "not_found_error", "run_not_found", "id", "No run " + runId + ".");
  }
}
