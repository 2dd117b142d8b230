package dev.ballast.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.config.NodeRole;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterStats;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import dev.ballast.telemetry.BallastMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP surface: OpenAI-compatible and Anthropic-compatible front doors and the
 * journal API. Every handler answers errors in its front door's shape; nothing a client sends can
 * produce a 500, and an unexpected failure is logged without request content.
 */
public final class HttpApi {
  public static final HeaderName RUN_ID_HEADER = HeaderNames.create("x-ballast-run-id");
  static final HeaderName DEADLINE_HEADER = HeaderNames.create("x-ballast-deadline-ms");
  static final HeaderName PRIORITY_HEADER = HeaderNames.create("x-ballast-priority");
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Requests requests;
  private final ChatService chat;
  private final EmbeddingService embeddings;
  private final ModelsApi models;
  private final RunsApi runs;
  private final JournalWriter journal;
  private final Resilience resilience;
  private final Idempotency idempotency;
  private final PipelinesApi pipelines;
  private final ConversationsApi conversations;
  private final CollectionsApi collections;
  private final NodeRole role;
  private final TraceContext traces;
  private final BallastMetrics metrics;
  private final Clock clock;

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
      NodeRole role,
      TraceContext traces,
      BallastMetrics metrics,
      Clock clock) {
    this.requests = requests;
    this.chat = chat;
    this.embeddings = embeddings;
    this.models = models;
    this.runs = runs;
    this.journal = journal;
    this.resilience = resilience;
    this.idempotency = idempotency;
    this.pipelines = pipelines;
    this.conversations = conversations;
    this.collections = collections;
    this.role = role;
    this.traces = traces;
    this.metrics = metrics;
    this.clock = clock;
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
        .post("/v1/chat/completions", (req, res) -> openAi(req, res, this::chatCompletions))
        .post("/v1/embeddings", (req, res) -> openAi(req, res, this::embeddings))
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
        .post("/v1/messages", this::messages)
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
    guarded(
        res,
        false,
        () -> {
          JsonNode body = handler.handle(req, res);
          if (body != null) {
            sendJson(res, 200, body);
          }
        });
  }

  private JsonNode chatCompletions(ServerRequest req, ServerResponse res) {
    TenantConfig tenant = requests.tenant(req);
    JsonNode body = requests.json(req);
    ChatRequest request = OpenAiRequests.chat(body);
    RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
    String id = "chatcmpl-" + run.runId();
    long created = clock.millis() / 1000;
    Deadline deadline = deadline(req);
    Supplier<JsonNode> call =
        () ->
            OpenAiResponses.completion(
                id,
                created,
                chat.serve(
                    new ChatService.Call(
                        tenant, "openai", request, null, deadline, priority(req, tenant)),
                    run));
    Optional<String> key = Idempotency.key(req);
    if (key.isPresent()) {
      requireNonStreaming(request);
      traces.join(req, res, run.runId());
      idempotency.serve(
          tenant, key.get(), "chat.completions\n" + body, run.runId(), deadline, res, false, call);
      return null;
    }
    res.header(RUN_ID_HEADER, run.runId());
    traces.join(req, res, run.runId());
    if (!request.stream()) {
      return call.get();
    }
    SseOutput out = new SseOutput(res, run.runId());
    try {
      chat.serve(
          new ChatService.Call(
              tenant,
              "openai",
              request,
              new OpenAiStream(
                  out, id, created, request.model(), OpenAiRequests.includeUsage(body)),
              deadline(req),
              priority(req, tenant)),
          run);
    } finally {
      out.close();
    }
    return null;
  }

  private JsonNode embeddings(ServerRequest req, ServerResponse res) {
    TenantConfig tenant = requests.tenant(req);
    JsonNode body = requests.json(req);
    EmbeddingRequest request = OpenAiRequests.embeddings(body);
    RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
    res.header(RUN_ID_HEADER, run.runId());
    traces.join(req, res, run.runId());
    boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
    return OpenAiResponses.embeddings(
        embeddings.serve(tenant, request, deadline(req), priority(req, tenant), run), base64);
  }

  private void messages(ServerRequest req, ServerResponse res) {
    guarded(
        res,
        true,
        () -> {
          TenantConfig tenant = requests.tenant(req);
          JsonNode body = requests.json(req);
          ChatRequest request = AnthropicRequests.messages(body);
          RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
          String id = "msg_" + run.runId();
          Deadline deadline = deadline(req);
          Supplier<JsonNode> call =
              () ->
                  AnthropicResponses.message(
                      id,
                      chat.serve(
                          new ChatService.Call(
                              tenant, "anthropic", request, null, deadline, priority(req, tenant)),
                          run));
          Optional<String> key = Idempotency.key(req);
          if (key.isPresent()) {
            requireNonStreaming(request);
            traces.join(req, res, run.runId());
            idempotency.serve(
                tenant, key.get(), "messages\n" + body, run.runId(), deadline, res, true, call);
            return;
          }
          res.header(RUN_ID_HEADER, run.runId());
          traces.join(req, res, run.runId());
          if (!request.stream()) {
            sendJson(res, 200, call.get());
            return;
          }
          SseOutput out = new SseOutput(res, run.runId());
          try {
            chat.serve(
                new ChatService.Call(
                    tenant,
                    "anthropic",
                    request,
                    new AnthropicStream(out, id, request.model(), TokenCounter.countInput(request)),
                    deadline(req),
                    priority(req, tenant)),
                run);
          } finally {
            out.close();
          }
        });
  }

  private static void requireNonStreaming(ChatRequest request) {
    if (request.stream()) {
      throw ApiError.invalid(
          "Idempotency-Key",
          "Idempotency-Key is supported on non-streaming requests; send the stream without it.");
    }
  }

  /**
   * The request's deadline: {@code x-ballast-deadline-ms} if given, else the configured default.
   */
  private Deadline deadline(ServerRequest req) {
    Optional<String> header = req.headers().first(DEADLINE_HEADER);
    if (header.isEmpty()) {
      return resilience.deadline(null);
    }
    try {
      long millis = Long.parseLong(header.get().trim());
      if (millis <= 0) {
        throw new NumberFormatException();
      }
      return resilience.deadline(Duration.ofMillis(millis));
    } catch (NumberFormatException e) {
      throw ApiError.invalid(
          "x-ballast-deadline-ms",
          "Invalid 'x-ballast-deadline-ms' header: expected a positive number of milliseconds.");
    }
  }

  /** {@code x-ballast-priority} if given, else the tenant's priority class. */
  private static Priority priority(ServerRequest req, TenantConfig tenant) {
    String value = req.headers().first(PRIORITY_HEADER).orElse(tenant.priority()).trim();
    return switch (value) {
      case "interactive" -> Priority.INTERACTIVE;
      case "batch" -> Priority.BATCH;
      default ->
          throw ApiError.invalid(
              "x-ballast-priority",
              "Invalid 'x-ballast-priority' header: expected interactive or batch.");
    };
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
