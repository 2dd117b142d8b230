package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Resilience;
import dev.ballast.core.Json;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterStats;
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

  public HttpApi(
      Authentication authentication,
      Requests requests,
      ModelCallChain chain,
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
    this.authentication = authentication;
    this.modelCalls =
        new ModelCallsApi(requests, chain, journal, resilience, idempotency, traces, clock);
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
        .get("/v1/ballast/status", openAi((tenant, req, res) -> status()))
        .get("/healthz", (req, res) -> res.send("ok"))
        .get("/metrics", this::metrics)
        .any(
            (req, res) ->
                sendError(res, role.servesApi() ? unknownUrl(req) : workerOnly(req), false));
  }

  private void registerApi(HttpRouting.Builder routing) {
    routing
        .post("/v1/chat/completions", openAi(modelCalls::chatCompletions))
        .post("/v1/embeddings", openAi(modelCalls::embeddings))
        .get("/v1/models", openAi((tenant, req, res) -> models.list()))
        .post("/v1/messages", anthropic(modelCalls::messages))
        .get("/v1/ballast/runs", openAi((tenant, req, res) -> runs.list(tenant, req)))
        // {+id}: a pipeline stage's model call is a run named RUN/STAGE/ATTEMPT; RUN/trace is
        // the run's execution tree.
        .get(
            "/v1/ballast/runs/{+id}",
            openAi((tenant, req, res) -> runs.get(tenant, req.path().pathParameters().get("id"))))
        .get("/v1/ballast/whoami", openAi((tenant, req, res) -> stats.whoami(tenant)))
        .get("/v1/ballast/stats", openAi((tenant, req, res) -> stats.series(tenant, req)))
        .get(
            "/v1/ballast/stats/pipelines",
            openAi((tenant, req, res) -> stats.pipelines(tenant, req)))
        .get("/v1/ballast/diff", openAi((tenant, req, res) -> runs.diff(tenant, req)))
        .get("/v1/pipelines", openAi((tenant, req, res) -> pipelines.definitions()))
        .get("/v1/pipelines/runs", openAi((tenant, req, res) -> pipelines.list(tenant, req)))
        .get("/v1/pipelines/runs/{id}", openAi((tenant, req, res) -> pipelines.show(tenant, req)))
        .post(
            "/v1/pipelines/runs/{id}/resume",
            openAi((tenant, req, res) -> pipelines.resume(tenant, req)))
        .post("/v1/pipelines/{name}/runs", openAi(pipelines::submit))
        .get(
            "/v1/conversations/{id}/memory",
            openAi((tenant, req, res) -> conversations.memory(tenant, req)))
        .get("/v1/collections", openAi((tenant, req, res) -> collections.list()))
        .get(
            "/v1/collections/{name}/generations",
            openAi((tenant, req, res) -> stats.generations(req)))
        .post(
            "/v1/collections/{name}/documents",
            openAi((tenant, req, res) -> collections.ingest(tenant, req)))
        .post(
            "/v1/collections/{name}/search", openAi((tenant, req, res) -> collections.search(req)));
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
              resilience
                  .learnedFirstToken(name)
                  .ifPresent(t -> d.put("learned_first_token_timeout_ms", t.toMillis()));
            });
    root.put("retry_budget_remaining", resilience.budgets().global().remaining());
    root.set("pipelines", pipelines.status());
    return root;
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
