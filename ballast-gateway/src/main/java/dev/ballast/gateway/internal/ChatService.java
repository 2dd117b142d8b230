package dev.ballast.gateway.internal;

import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.normalize.ResponseValidator;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Serves one chat call as a journaled run: route, attempt deployments in order, validate, record.
 *
 * <p>Invariants: every call produces exactly one {@code RunStarted} and exactly one terminal event
 * ({@code RunCompleted} or {@code RunFailed}); each provider attempt is journaled before the next
 * starts; an answer that fails validation is never returned as success; once a streamed delta has
 * reached the client, a failure ends the stream with an error, never a clean finish.
 */
public final class ChatService {
  private final BallastConfig config;
  private final Router router;
  private final AttemptLoop loop;
  private final Admission admission;
  private final ResponseValidator validator = new ResponseValidator();

  ChatService(BallastConfig config, Router router, AttemptLoop loop, Admission admission) {
    this.config = config;
    this.router = router;
    this.loop = loop;
    this.admission = admission;
  }

  /**
   * One chat call.
   *
   * @param stream where a streamed answer goes; null for a non-streaming call
   * @param admit false for the gateway's own calls (pipeline stages), which skip the tenant's
   *     request and token limits (the run was admitted when it was submitted); their cost is still
   *     added to the tenant's spend
   */
  record Call(
      TenantConfig tenant,
      String api,
      ChatRequest request,
      ClientStream stream,
      Deadline deadline,
      Priority priority,
      boolean admit) {

    /** A client's call, admitted against the tenant's limits. */
    Call(
        TenantConfig tenant,
        String api,
        ChatRequest request,
        ClientStream stream,
        Deadline deadline,
        Priority priority) {
      this(tenant, api, request, stream, deadline, priority, true);
    }
  }

  /** Serves a call; returns the answer (non-streaming) or null after streaming it. */
  ChatResponse serve(Call call, RunRecorder run) {
    ChatRequest request = call.request();
    GroupConfig group =
        router.group(request.model()).orElseThrow(() -> unknownModel(request.model()));
    long start = System.nanoTime();
    run.record(
        new RunStarted(
            "gateway",
            "chat",
            call.api(),
            call.tenant().name(),
            request.model(),
            request.stream(),
            new Pins(
                config.version(),
                group.name(),
                router.route(group).stream().map(Deployment::name).toList()),
            Redactor.payload(call.tenant(), json(request))));
    boolean[] delivered = {false};
    try {
      if (call.admit()) {
        admission.admit(call.tenant(), TokenCounter.countInput(request));
      }
      Answer answer =
          loop.run(
              group,
              call.deadline(),
              call.priority(),
              () -> !delivered[0],
              (deployment, options) -> attempt(call, deployment, options, delivered),
              new Journaling(call, run));
      admission.settle(call.tenant(), answer.response().usage().outputTokens(), answer.cost());
      if (call.stream() != null) {
        finishStream(call, answer.response(), delivered[0]);
      }
      run.record(
          new RunCompleted(
              answer.deployment(),
              answer.response().model(),
              answer.response().finishReason() == null
                  ? null
                  : answer.response().finishReason().openAiName(),
              answer.response().usage(),
              answer.cost(),
              millisSince(start),
              answer.payload()));
      return answer.response();
    } catch (ProviderException e) {
      ApiError error = Errors.fromProvider(e);
      run.record(
          new RunFailed(
              e.errorClass().wireName(),
              error.status(),
              e.getMessage(),
              delivered[0],
              millisSince(start)));
      if (call.stream() != null && delivered[0]) {
        call.stream().fail(error);
        return null;
      }
      throw error;
    } catch (ApiError e) {
      run.record(
          new RunFailed(e.code(), e.status(), e.getMessage(), delivered[0], millisSince(start)));
      throw e;
    } catch (UncheckedIOException clientGone) {
      run.record(
          new RunFailed(
              "client_disconnected",
              499,
              "the client closed the connection",
              delivered[0],
              millisSince(start)));
      throw clientGone;
    } catch (RuntimeException | Error e) {
      // Whatever went wrong, Errors included, the run gets its terminal event: a journal never
      // ends mid-air.
      run.record(
          new RunFailed(
              "internal_error", 500, String.valueOf(e), delivered[0], millisSince(start)));
      throw e;
    }
  }

  /** A validated answer with what the journal needs of it, computed once. */
  private record Answer(
      ChatResponse response, String deployment, double cost, Payload payload, double ttftMs) {}

  private Answer attempt(
      Call call, Deployment deployment, CallOptions options, boolean[] delivered) {
    ChatRequest request = call.request();
    long attemptStart = System.nanoTime();
    double[] ttft = {-1};
    ChatResponse response;
    if (call.stream() == null) {
      response = deployment.provider().chat(request.withStream(false), options);
    } else {
      // Structured output can only be validated once complete, so it is held back and sent
      // whole: a client must never receive JSON that the validator would have rejected.
      boolean holdBack =
          request.responseFormat() != null
              && request.responseFormat().type() != ResponseFormat.Type.TEXT;
      StreamSink sink =
          delta -> {
            if (ttft[0] < 0 && delta.hasContent()) {
              ttft[0] = (System.nanoTime() - attemptStart) / 1e6;
            }
            if (!holdBack && delta.hasContent()) {
              call.stream().delta(delta);
              delivered[0] = true;
            }
          };
      response = deployment.provider().chatStream(request.withStream(true), options, sink);
    }
    ChatResponse valid = validator.validate(request, response);
    double cost = deployment.config().price().cost(valid.usage());
    return new Answer(
        valid,
        deployment.name(),
        cost,
        Redactor.payload(call.tenant(), json(valid.withRepairs(List.of()))),
        ttft[0]);
  }

  /** Turns the attempt loop's reports into {@code ProviderAttempt} events. */
  private record Journaling(Call call, RunRecorder run) implements AttemptLoop.Observer<Answer> {
    @Override
    public void succeeded(int attempt, Deployment d, Answer a, long startNanos, String breaker) {
      ChatResponse r = a.response();
      run.record(
          new ProviderAttempt(
              attempt,
              d.name(),
              d.provider().name(),
              d.config().model(),
              "ok",
              200,
              null,
              millisSince(startNanos),
              a.ttftMs() < 0 ? null : a.ttftMs(),
              r.usage(),
              a.cost(),
              r.model(),
              r.systemFingerprint(),
              breaker,
              "answered",
              r.repairs().stream().map(x -> x.kind().name().toLowerCase(Locale.ROOT)).toList(),
              Redactor.payload(call.tenant(), r.raw()),
              a.payload()));
    }

    @Override
    public void breakerChanged(String deployment, String from, String to) {
      run.record(new BreakerTransition(deployment, from, to));
    }

    @Override
    public void failed(
        int attempt,
        Deployment d,
        ProviderException e,
        long startNanos,
        String breaker,
        String decision) {
      run.record(
          new ProviderAttempt(
              attempt,
              d.name(),
              d.provider().name(),
              d.config().model(),
              e.errorClass().wireName(),
              e.httpStatus(),
              e.getMessage(),
              millisSince(startNanos),
              null,
              null,
              0,
              null,
              null,
              breaker,
              decision,
              List.of(),
              Redactor.payload(call.tenant(), e.rawBody().orElse(null)),
              null));
    }
  }

  private static void finishStream(Call call, ChatResponse valid, boolean alreadyDelivered) {
    if (!alreadyDelivered) {
      Message message = valid.message();
      String text = message == null ? "" : message.text();
      if (!text.isEmpty()) {
        call.stream().delta(ChatDelta.text(text));
      }
      if (message != null && !message.toolCalls().isEmpty()) {
        List<ChatDelta.ToolCallDelta> calls = new ArrayList<>();
        for (int i = 0; i < message.toolCalls().size(); i++) {
          ToolCall tc = message.toolCalls().get(i);
          calls.add(new ChatDelta.ToolCallDelta(i, tc.id(), tc.name(), tc.arguments()));
        }
        call.stream().delta(new ChatDelta(null, calls));
      }
    }
    call.stream().complete(valid);
  }

  static ApiError unknownModel(String model) {
    return new ApiError(
        404,
        "invalid_request_error",
        "model_not_found",
        "model",
        "The model '"
            + model
            + "' does not exist. GET /v1/models lists the models this gateway serves.");
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("normalized model must serialize", e);
    }
  }
}
