package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.calls.ChatCall;
import dev.ballast.calls.ClientStream;
import dev.ballast.calls.EmbedCall;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Origin;
import dev.ballast.calls.Resilience;
import dev.ballast.calls.RunRecorder;
import dev.ballast.calls.TenantLimitExceededException;
import dev.ballast.calls.UnknownModelException;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.gateway.internal.wire.AnthropicRequestReader;
import dev.ballast.gateway.internal.wire.AnthropicResponseWriter;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.CompletionsWire;
import dev.ballast.gateway.internal.wire.OpenAiRequestReader;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The model-call front doors: OpenAI chat completions, legacy completions and embeddings, Anthropic
 * messages and token counting ({@link ResponsesApi} adds the Responses API on the same chat path).
 * Each call is a journaled run, joined to the caller's trace, with a deadline and a priority from
 * its headers and, for a non-streaming chat with an {@code Idempotency-Key}, answered once per key.
 * Errors are thrown as they come ({@link ApiError}s for the request itself, the chain's typed
 * failures for the call); {@link HttpApi} answers them in the front door's shape through {@link
 * HttpErrors}.
 */
final class ModelCallsApi {
  static final HeaderName DEADLINE_HEADER = HeaderNames.create("x-ballast-deadline-ms");
  static final HeaderName PRIORITY_HEADER = HeaderNames.create("x-ballast-priority");

  // The journal's api of runs that came through the Responses and legacy completions doors. Their
  // requests are journaled in the normalized shape, so they replay like chat runs.
  static final String OPENAI_RESPONSES = "openai.responses";

  /** A Responses call made with {@code store: false}: journaled, never retrievable by id. */
  static final String OPENAI_RESPONSES_UNSTORED = "openai.responses.unstored";

  static final String OPENAI_COMPLETIONS = "openai.completions";

  private final Requests requests;
  private final ModelCallChain chain;
  private final CallHeaders headers;
  private final JournalWriter journal;
  private final Resilience resilience;
  private final Idempotency idempotency;
  private final TraceContext traces;
  private final ModelsApi models;
  private final Clock clock;

  ModelCallsApi(
      Requests requests,
      ModelCallChain chain,
      CallHeaders headers,
      JournalWriter journal,
      Resilience resilience,
      Idempotency idempotency,
      TraceContext traces,
      ModelsApi models,
      Clock clock) {
    this.requests = requests;
    this.models = models;
    this.chain = chain;
    this.headers = headers;
    this.journal = journal;
    this.resilience = resilience;
    this.idempotency = idempotency;
    this.traces = traces;
    this.clock = clock;
  }

  /** OpenAI's chat front door; null when the response has been sent (streamed, idempotent). */
  JsonNode chatCompletions(Caller caller, ServerRequest req, ServerResponse res) {
    return limited(caller, res, () -> chatCompletion(caller, req, res));
  }

  private JsonNode chatCompletion(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    ChatRequest request = OpenAiRequestReader.chat(body);
    requireModel(caller, request.model());
    TenantConfig tenant = caller.tenant();
    RunRecorder run = newRun(caller);
    String id = "chatcmpl-" + run.runId();
    long created = clock.millis() / 1000;
    return serveChat(
        req,
        res,
        caller,
        request,
        run,
        new ChatDoor(
            "openai",
            "chat.completions\n" + body,
            false,
            response -> OpenAiResponseWriter.completion(id, created, response),
            out ->
                new OpenAiStream(
                    out, id, created, request.model(), OpenAiRequestReader.includeUsage(body))));
  }

  JsonNode embeddings(Caller caller, ServerRequest req, ServerResponse res) {
    return limited(caller, res, () -> embed(caller, req, res));
  }

  private JsonNode embed(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    EmbeddingRequest request = OpenAiRequestReader.embeddings(body);
    requireModel(caller, request.model());
    TenantConfig tenant = caller.tenant();
    RunRecorder run = newRun(caller);
    res.header(HttpApi.RUN_ID_HEADER, run.runId());
    traces.join(req, res, run);
    boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
    TenantConfig keyAccount = keyAccount(caller);
    ModelCallChain.Answered<EmbeddingResponse> answered =
        chain.embedAnswered(
            new EmbedCall(
                tenant,
                request,
                deadline(req),
                served(res, priority(req, tenant)),
                Origin.CLIENT,
                run,
                keyAccount));
    answeredHeaders(res, tenant, keyAccount, answered.costUsd(), answered.response().usage());
    return OpenAiResponseWriter.embeddings(answered.response(), base64);
  }

  /** Anthropic's front door; null when the response has been sent (streamed, idempotent). */
  JsonNode messages(Caller caller, ServerRequest req, ServerResponse res) {
    return limited(caller, res, () -> message(caller, req, res));
  }

  private JsonNode message(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    ChatRequest request = AnthropicRequestReader.messages(body);
    requireModel(caller, request.model());
    TenantConfig tenant = caller.tenant();
    RunRecorder run = newRun(caller);
    String id = "msg_" + run.runId();
    return serveChat(
        req,
        res,
        caller,
        request,
        run,
        new ChatDoor(
            "anthropic",
            "messages\n" + body,
            true,
            response -> AnthropicResponseWriter.message(id, response),
            out ->
                new AnthropicStream(out, id, request.model(), TokenCounter.countInput(request))));
  }

  /** OpenAI's legacy completions, on the chat chain; null when the response has been sent. */
  JsonNode completions(Caller caller, ServerRequest req, ServerResponse res) {
    return limited(caller, res, () -> completion(caller, req, res));
  }

  private JsonNode completion(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    ChatRequest request = CompletionsWire.read(body);
    requireModel(caller, request.model());
    RunRecorder run = newRun(caller);
    String id = "cmpl-" + run.runId();
    long created = clock.millis() / 1000;
    return serveChat(
        req,
        res,
        caller,
        request,
        run,
        new ChatDoor(
            OPENAI_COMPLETIONS,
            "completions\n" + body,
            false,
            response -> CompletionsWire.completion(id, created, response),
            out ->
                new CompletionsStream(
                    out, id, created, request.model(), OpenAiRequestReader.includeUsage(body))));
  }

  /**
   * Anthropic's token counting: counted here with the tokenizer that estimates usage, so nothing
   * goes upstream, nothing is spent and no run is journaled; the key's model list and the model
   * group are checked as for a call.
   */
  JsonNode countTokens(Caller caller, ServerRequest req, ServerResponse res) {
    ChatRequest request = AnthropicRequestReader.countTokens(requests.json(req));
    requireModel(caller, request.model());
    if (!models.serves(request.model())) {
      throw new UnknownModelException(request.model());
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("input_tokens", TokenCounter.countInput(request));
  }

  /**
   * What differs between the chat front doors: the API name, what an idempotency key is bound to,
   * the shape of errors, of an answer and of a stream.
   */
  record ChatDoor(
      String api,
      String idempotentRequest,
      boolean anthropic,
      Function<ChatResponse, JsonNode> answer,
      Function<SseOutput, ClientStream> stream) {}

  /**
   * One chat call through either front door: answered once per {@code Idempotency-Key} (never
   * streamed), streamed, or returned; null when the response has been sent.
   */
  JsonNode serveChat(
      ServerRequest req,
      ServerResponse res,
      Caller caller,
      ChatRequest request,
      RunRecorder run,
      ChatDoor door) {
    TenantConfig tenant = caller.tenant();
    TenantConfig keyAccount = keyAccount(caller);
    Deadline deadline = deadline(req);
    Priority priority = served(res, priority(req, tenant));
    Supplier<JsonNode> call =
        () -> {
          ModelCallChain.Answered<ChatResponse> answered =
              chain.chatAnswered(
                  new ChatCall(
                      tenant,
                      door.api(),
                      request,
                      null,
                      deadline,
                      priority,
                      Origin.CLIENT,
                      run,
                      keyAccount));
          answeredHeaders(res, tenant, keyAccount, answered.costUsd(), answered.response().usage());
          return door.answer().apply(answered.response());
        };
    Optional<String> key = Idempotency.key(req);
    if (key.isPresent()) {
      requireNonStreaming(request);
      traces.join(req, res, run);
      idempotency.serve(
          tenant,
          key.get(),
          door.idempotentRequest(),
          run.runId(),
          deadline,
          res,
          door.anthropic(),
          call);
      return null;
    }
    res.header(HttpApi.RUN_ID_HEADER, run.runId());
    traces.join(req, res, run);
    if (!request.stream()) {
      return call.get();
    }
    // The stream's headers go out after admission, before the cost is known: the final event
    // carries it.
    SseOutput out =
        new SseOutput(res, run.runId(), () -> headers.rateLimits(res, tenant, keyAccount));
    try {
      chain.chat(
          new ChatCall(
              tenant,
              door.api(),
              request,
              door.stream().apply(out),
              deadline,
              priority,
              Origin.CLIENT,
              run,
              keyAccount));
    } finally {
      out.close();
    }
    return null;
  }

  /**
   * Serves a model call; a call refused by a per-minute limit is answered with the rate-limit
   * headers of the limits that apply, besides its {@code Retry-After}.
   */
  JsonNode limited(Caller caller, ServerResponse res, Supplier<JsonNode> serve) {
    try {
      return serve.get();
    } catch (TenantLimitExceededException e) {
      headers.rateLimits(res, caller.tenant(), keyAccount(caller));
      throw e;
    }
  }

  /** An answer's headers: the limits' room after the call, its cost and tokens. */
  private void answeredHeaders(
      ServerResponse res,
      TenantConfig tenant,
      TenantConfig keyAccount,
      double costUsd,
      dev.ballast.core.model.Usage usage) {
    headers.rateLimits(res, tenant, keyAccount);
    CallHeaders.cost(res, costUsd, usage);
  }

  /** A run that journals the managed key that made it, so that spend can be told per key. */
  RunRecorder newRun(Caller caller) {
    RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
    if (caller.key() != null) {
      run.madeByKey(caller.key().id());
    }
    return run;
  }

  /** The account a managed key's own limits are counted under, or null for none. */
  private static TenantConfig keyAccount(Caller caller) {
    return caller.keyLimits().map(l -> TenantConfig.keyAccount(caller.key().id(), l)).orElse(null);
  }

  /**
   * A managed key with a list of model groups calls only those (docs/security.md); a group it may
   * not call is refused before anything is journaled or spent.
   */
  static void requireModel(Caller caller, String group) {
    if (!caller.mayCall(group)) {
      throw new ApiError(
          403,
          "permission_error",
          "model_not_allowed",
          "model",
          "This key may not call model '"
              + group
              + "'; it may call: "
              + (caller.key().models().isEmpty()
                  ? "no model group"
                  : String.join(", ", caller.key().models()))
              + ".");
    }
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

  /**
   * {@code x-ballast-priority} if given, else the tenant's priority class. A request may lower its
   * priority, never raise it above its tenant's: {@code interactive} from a {@code batch} tenant is
   * served as {@code batch} (docs/limits.md).
   */
  private static Priority priority(ServerRequest req, TenantConfig tenant) {
    Priority ceiling = parse(tenant.priority());
    Optional<String> header = req.headers().first(PRIORITY_HEADER);
    if (header.isEmpty()) {
      return ceiling;
    }
    Priority asked = parse(header.get().trim());
    if (asked == null) {
      throw ApiError.invalid(
          "x-ballast-priority",
          "Invalid 'x-ballast-priority' header: expected interactive or batch.");
    }
    return asked.ordinal() < ceiling.ordinal() ? ceiling : asked;
  }

  /** Tells the client the priority its request is served at, which may be lower than it asked. */
  private static Priority served(ServerResponse res, Priority priority) {
    res.header(PRIORITY_HEADER, priority.name().toLowerCase(java.util.Locale.ROOT));
    return priority;
  }

  private static Priority parse(String value) {
    return switch (value) {
      case "interactive" -> Priority.INTERACTIVE;
      case "batch" -> Priority.BATCH;
      default -> null;
    };
  }
}
