package dev.ballast.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterStats;
import dev.ballast.telemetry.BallastMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP surface: its routes (the model-call front doors of {@link ModelCallsApi}, the
 * journal, pipeline, memory and collection APIs, status and metrics) and how errors are answered.
 * Every handler answers errors in its front door's shape; nothing a client sends can produce a 500,
 * and an unexpected failure is logged without request content.
 */
public final class HttpApi {
  public static final HeaderName RUN_ID_HEADER = HeaderNames.create("x-ballast-run-id");
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Requests requests;
  private final ModelCallsApi modelCalls;
  private final ModelsApi models;
  private final RunsApi runs;
  private final JournalWriter journal;
  private final Resilience resilience;
  private final PipelinesApi pipelines;
  private final ConversationsApi conversations;
  private final CollectionsApi collections;
  private final StatsApi stats;
  private final NodeRole role;
  private final BallastMetrics metrics;

  HttpApi(
      Requests requests,
      ChatService chat,
      EmbeddingService embeddings,
      ModelsApi models,
      RunsApi runs,
      JournalWriter journal,
      Resilience resilience,
      Idempotency idempotency,
      PipelinesApi pipelines,
      ConversationsApi conversations,
      CollectionsApi collections,
      StatsApi stats,
      NodeRole role,
      TraceContext traces,
      BallastMetrics metrics,
      Clock clock) {
    this.requests = requests;
    this.modelCalls =
        new ModelCallsApi(
            requests, chat, embeddings, journal, resilience, idempotency, traces, clock);
    this.models = models;
    this.runs = runs;
    this.journal = journal;
    this.resilience = resilience;
    this.pipelines = pipelines;
    this.conversations = conversations;
    this.collections = collections;
    this.stats = stats;
    this.role = role;
    this.metrics = metrics;
  }

  /**
   * Registers the routes of this node's role: a worker node serves only {@code /healthz}, {@code
   * /v1/ballast/status} and {@code /metrics}, and answers every other path with a 404 that says it
   * is a worker.
   */
  public void register(HttpRouting.Builder routing) {
    if (role.servesApi()) {
      registerApi(routing);
    }
    routing
        .get(
            "/v1/ballast/status",
            (req, res) ->
                openAi(
                    req,
                    res,
                    r -> {
                      requests.tenant(r);
                      return status();
                    }))
        .get("/healthz", (req, res) -> res.send("ok"))
        .get("/metrics", this::metrics)
        .any(
            (req, res) ->
                sendError(res, role.servesApi() ? unknownUrl(req) : workerOnly(req), false));
  }

  private void registerApi(HttpRouting.Builder routing) {
    routing
        .post("/v1/chat/completions", (req, res) -> openAi(req, res, modelCalls::chatCompletions))
        .post("/v1/embeddings", (req, res) -> openAi(req, res, modelCalls::embeddings))
        .get(
            "/v1/models",
            (req, res) ->
                openAi(
                    req,
                    res,
                    r -> {
                      requests.tenant(r);
                      return models.list();
                    }))
        .post("/v1/messages", (req, res) -> anthropic(req, res, modelCalls::messages))
        .get(
            "/v1/ballast/runs",
            (req, res) -> openAi(req, res, r -> runs.list(requests.tenant(r), r)))
        // {+id}: a pipeline stage's model call is a run named RUN/STAGE/ATTEMPT; RUN/trace is
        // the run's execution tree.
        .get(
            "/v1/ballast/runs/{+id}",
            (req, res) ->
                openAi(
                    req,
                    res,
                    r -> runs.get(requests.tenant(r), r.path().pathParameters().get("id"))))
        .get("/v1/ballast/whoami", (req, res) -> openAi(req, res, stats::whoami))
        .get("/v1/ballast/stats", (req, res) -> openAi(req, res, stats::series))
        .get("/v1/ballast/stats/pipelines", (req, res) -> openAi(req, res, stats::pipelines))
        .get(
            "/v1/ballast/diff",
            (req, res) -> openAi(req, res, r -> runs.diff(requests.tenant(r), r)))
        .get("/v1/pipelines", (req, res) -> openAi(req, res, pipelines::definitions))
        .get("/v1/pipelines/runs", (req, res) -> openAi(req, res, pipelines::list))
        .get("/v1/pipelines/runs/{id}", (req, res) -> openAi(req, res, pipelines::show))
        .post("/v1/pipelines/runs/{id}/resume", (req, res) -> openAi(req, res, pipelines::resume))
        .post("/v1/pipelines/{name}/runs", (req, res) -> openAi(req, res, pipelines::submit))
        .get("/v1/conversations/{id}/memory", (req, res) -> openAi(req, res, conversations::memory))
        .get("/v1/collections", (req, res) -> openAi(req, res, collections::list))
        .get(
            "/v1/collections/{name}/generations",
            (req, res) -> openAi(req, res, stats::generations))
        .post(
            "/v1/collections/{name}/documents", (req, res) -> openAi(req, res, collections::ingest))
        .post("/v1/collections/{name}/search", (req, res) -> openAi(req, res, collections::search));
  }

  private static ApiError unknownUrl(ServerRequest req) {
    return new ApiError(
        404,
        "invalid_request_error",
        "unknown_url",
        null,
        "Unknown request URL: "
            + req.prologue().method().text()
            + " "
            + req.path().path()
            + ". See the README for the endpoints this gateway serves.");
  }

  private static ApiError workerOnly(ServerRequest req) {
    return new ApiError(
        404,
        "invalid_request_error",
        "worker_node",
        null,
        "This node is a worker (server.role: worker): it executes pipeline runs and serves only"
            + " /healthz, /v1/ballast/status and /metrics, not "
            + req.prologue().method().text()
            + " "
            + req.path().path()
            + ". Send API requests to a node with server.role gateway or both.");
  }

  /**
   * Prometheus text for a scraper. Without authentication, as Prometheus scrapes: metrics carry
   * tenant, model and deployment names but no content and no key; keep the port off the public
   * network, or put an authenticating proxy in front, where names are sensitive.
   */
  private void metrics(ServerRequest req, ServerResponse res) {
    guarded(
        res,
        false,
        () -> {
          byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
          res.header(HeaderNames.CONTENT_TYPE, BallastMetrics.CONTENT_TYPE);
          res.send(text);
        });
  }

  private JsonNode status() {
    ObjectNode root = Json.mapper().createObjectNode();
    JournalWriterStats stats = journal.stats();
    root.set("journal", Json.mapper().valueToTree(stats));
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
            });
    root.put("retry_budget_remaining", resilience.budgets().global().remaining());
    root.set("pipelines", pipelines.status());
    return root;
  }

  private interface Handler {
    JsonNode handle(ServerRequest req, ServerResponse res);
  }

  private void openAi(
      ServerRequest req, ServerResponse res, Function<ServerRequest, JsonNode> handler) {
    guarded(
        res,
        false,
        () -> {
          JsonNode body = handler.apply(req);
          sendJson(res, 200, body);
        });
  }

  private void openAi(ServerRequest req, ServerResponse res, Handler handler) {
    answer(req, res, false, handler);
  }

  private void anthropic(ServerRequest req, ServerResponse res, Handler handler) {
    answer(req, res, true, handler);
  }

  /** Sends what {@code handler} returns, unless it returned null having sent the response. */
  private void answer(ServerRequest req, ServerResponse res, boolean anthropic, Handler handler) {
    guarded(
        res,
        anthropic,
        () -> {
          JsonNode body = handler.handle(req, res);
          if (body != null) {
            sendJson(res, 200, body);
          }
        });
  }

  private void guarded(ServerResponse res, boolean anthropic, Runnable action) {
    try {
      action.run();
    } catch (ApiError e) {
      trySendError(res, e, anthropic);
    } catch (UncheckedIOException e) {
      LOG.debug("client connection closed: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("unexpected failure serving a request", e);
      if (!res.isSent()) {
        trySendError(
            res,
            new ApiError(
                500,
                "server_error",
                "internal_error",
                null,
                "The gateway failed unexpectedly; the failure is logged. Please retry."),
            anthropic);
      }
    }
  }

  static void sendError(ServerResponse res, ApiError error, boolean anthropic) {
    if (res.isSent()) {
      return;
    }
    if (error.retryAfterSeconds() != null) {
      res.header(HeaderNames.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
    }
    sendJson(
        res,
        error.status(),
        anthropic ? AnthropicResponses.error(error) : OpenAiResponses.error(error));
  }

  /** Sends an error unless a streamed response already committed the status line. */
  private static void trySendError(ServerResponse res, ApiError error, boolean anthropic) {
    try {
      sendError(res, error, anthropic);
    } catch (IllegalStateException committed) {
      LOG.debug("response already committed; error not sent: {}", error.getMessage());
    }
  }

  static void sendJson(ServerResponse res, int status, JsonNode body) {
    try {
      byte[] bytes = Json.mapper().writeValueAsBytes(body);
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("response bodies are plain JSON trees", e);
    }
  }
}
