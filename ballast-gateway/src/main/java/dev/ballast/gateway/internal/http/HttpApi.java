package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.calls.Admission;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Resilience;
import dev.ballast.core.Json;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.gateway.internal.wire.AnthropicResponseWriter;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;
import dev.ballast.telemetry.BallastMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP surface: its routes (the model-call front doors of {@link ModelCallsApi}, the
 * journal, pipeline, memory and collection APIs, the console's statistics, status and metrics) and
 * how errors are answered. Every handler answers errors in its front door's shape; nothing a client
 * sends can produce a 500, and an unexpected failure is logged without request content.
 */
public final class HttpApi {
  public static final HeaderName RUN_ID_HEADER = HeaderNames.create("x-ballast-run-id");
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Authentication authentication;
  private final ModelCallsApi modelCalls;
  private final ResponsesApi responses;
  private final ModelsApi models;
  private final RunsApi runs;
  private final StatusApi status;
  private final ConfigApi config;
  private final KeysApi keys;
  private final PipelinesApi pipelines;
  private final ConversationsApi conversations;
  private final CollectionsApi collections;
  private final StatsApi stats;
  private final SpendApi spend;
  private final AlertsApi alerts;
  private final NodeRole role;
  private final BallastMetrics metrics;

  public HttpApi(
      Authentication authentication,
      Requests requests,
      ModelCallChain chain,
      Admission admission,
      ModelsApi models,
      RunsApi runs,
      JournalWriter journal,
      Resilience resilience,
      Idempotency idempotency,
      PipelinesApi pipelines,
      ConversationsApi conversations,
      CollectionsApi collections,
      StatsApi stats,
      StatusApi status,
      ConfigApi config,
      KeysApi keys,
      AlertsApi alerts,
      NodeRole role,
      TraceContext traces,
      BallastMetrics metrics,
      Clock clock) {
    this.authentication = authentication;
    this.modelCalls =
        new ModelCallsApi(
            requests,
            chain,
            new CallHeaders(admission),
            journal,
            resilience,
            idempotency,
            traces,
            models,
            clock);
    this.responses =
        new ResponsesApi(
            requests, modelCalls, journal, new StoredResponses(runs.store(), journal), clock);
    this.models = models;
    this.runs = runs;
    this.status = status;
    this.config = config;
    this.keys = keys;
    this.pipelines = pipelines;
    this.conversations = conversations;
    this.collections = collections;
    this.stats = stats;
    this.spend = new SpendApi(stats.aggregates(), clock);
    this.alerts = alerts;
    this.role = role;
    this.metrics = metrics;
  }

  /**
   * Registers the routes of this node's role: a worker node serves only the health probes, {@code
   * /v1/ballast/status} and {@code /metrics}, and answers every other path with a 404 that says it
   * is a worker.
   */
  public void register(HttpRouting.Builder routing) {
    if (role.servesApi()) {
      registerApi(routing);
    }
    routing
        .get("/v1/ballast/status", openAi((caller, req, res) -> status.status(caller)))
        .post("/v1/ballast/config/reload", openAi(config::reload))
        .get("/metrics", this::metrics)
        .any(
            (req, res) ->
                sendError(res, role.servesApi() ? unknownUrl(req) : workerOnly(req), false));
  }

  private void registerApi(HttpRouting.Builder routing) {
    if (alerts != null) {
      // Only where Watch runs: elsewhere the paths are unknown, as the console expects.
      routing
          .get("/v1/ballast/alerts", openAi((caller, req, res) -> alerts.list(caller, req)))
          .get("/v1/ballast/alerts/{id}", openAi((caller, req, res) -> alerts.show(caller, req)));
    }
    routing
        .post("/v1/chat/completions", openAi(modelCalls::chatCompletions))
        .post("/v1/responses", openAi(responses::create))
        .get("/v1/responses/{id}", openAi((caller, req, res) -> responses.get(caller, req)))
        .post("/v1/completions", openAi(modelCalls::completions))
        .post("/v1/embeddings", openAi(modelCalls::embeddings))
        .get("/v1/models", openAi((caller, req, res) -> models.list(caller)))
        .post("/v1/messages", anthropic(modelCalls::messages))
        .post("/v1/messages/count_tokens", anthropic(modelCalls::countTokens))
        .post("/v1/ballast/keys", openAi(keys::create))
        .get("/v1/ballast/keys", openAi((caller, req, res) -> keys.list(caller, req)))
        .delete("/v1/ballast/keys/{id}", openAi((caller, req, res) -> keys.revoke(caller, req)))
        .get("/v1/ballast/runs", openAi((caller, req, res) -> runs.list(caller, req)))
        // {+id}: a pipeline stage's model call is a run named RUN/STAGE/ATTEMPT; RUN/trace is
        // the run's execution tree.
        .get(
            "/v1/ballast/runs/{+id}",
            openAi((caller, req, res) -> runs.get(caller, req.path().pathParameters().get("id"))))
        .get("/v1/ballast/whoami", openAi((caller, req, res) -> stats.whoami(caller)))
        .get("/v1/ballast/stats", openAi((caller, req, res) -> stats.series(caller, req)))
        .get(
            "/v1/ballast/stats/pipelines",
            openAi((caller, req, res) -> stats.pipelines(caller, req)))
        .get("/v1/ballast/spend", openAi((caller, req, res) -> spend.report(caller, req)))
        .get("/v1/ballast/diff", openAi((caller, req, res) -> runs.diff(caller, req)))
        .get("/v1/pipelines", openAi((caller, req, res) -> pipelines.definitions(caller)))
        .get("/v1/pipelines/runs", openAi((caller, req, res) -> pipelines.list(caller, req)))
        .get("/v1/pipelines/runs/{id}", openAi((caller, req, res) -> pipelines.show(caller, req)))
        .post(
            "/v1/pipelines/runs/{id}/resume",
            openAi((caller, req, res) -> pipelines.resume(caller, req)))
        .post("/v1/pipelines/{name}/runs", openAi(pipelines::submit))
        .get(
            "/v1/conversations/{id}/memory",
            openAi((caller, req, res) -> conversations.memory(caller, req)))
        .get("/v1/collections", openAi((caller, req, res) -> collections.list(caller)))
        .get(
            "/v1/collections/{name}/generations",
            openAi((caller, req, res) -> stats.generations(collections.readable(caller, req), req)))
        .post(
            "/v1/collections/{name}/documents",
            openAi((caller, req, res) -> collections.ingest(caller, req)))
        .post(
            "/v1/collections/{name}/search",
            openAi((caller, req, res) -> collections.search(caller, req)));
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
            + " /livez, /readyz, /healthz, /v1/ballast/status and /metrics, not "
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

  /** An authenticated route answering in OpenAI's error shape. */
  Handler openAi(Authentication.Handler handler) {
    return (req, res) -> answer(req, res, false, handler);
  }

  /** An authenticated route answering in Anthropic's error shape. */
  private Handler anthropic(Authentication.Handler handler) {
    return (req, res) -> answer(req, res, true, handler);
  }

  /**
   * Authenticates the caller, then sends what {@code handler} returns, unless it returned null
   * having sent the response.
   */
  private void answer(
      ServerRequest req, ServerResponse res, boolean anthropic, Authentication.Handler handler) {
    guarded(
        res,
        anthropic,
        () -> {
          JsonNode body = handler.handle(authentication.authenticate(req), req, res);
          if (body != null) {
            sendJson(res, 200, body);
          }
        });
  }

  private void guarded(ServerResponse res, boolean anthropic, Runnable action) {
    try {
      action.run();
    } catch (UncheckedIOException e) {
      LOG.debug("client connection closed: {}", e.getMessage());
    } catch (RuntimeException e) {
      Optional<ApiError> known = HttpErrors.answer(e);
      if (known.isPresent()) {
        trySendError(res, known.get(), anthropic);
        return;
      }
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
    if (error.closesConnection()) {
      res.header(HeaderNames.CONNECTION, "close");
    }
    sendJson(
        res,
        error.status(),
        anthropic ? AnthropicResponseWriter.error(error) : OpenAiResponseWriter.error(error));
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
