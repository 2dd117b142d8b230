package dev.ballast.gateway.internal;

import dev.ballast.core.FailureClassification;
import dev.ballast.core.FailureClassification.Disposition;
import dev.ballast.core.FailureClassification.Failover;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.normalize.ResponseValidator;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.StreamSink;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

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
  private final JournalWriter journal;
  private final ResponseValidator validator = new ResponseValidator();
  private final Clock clock;

  ChatService(BallastConfig config, Router router, JournalWriter journal, Clock clock) {
    this.config = config;
    this.router = router;
    this.journal = journal;
    this.clock = clock;
  }

  /** Where the run's answer goes: {@code null} for a non-streaming call. */
  record Call(TenantConfig tenant, String api, ChatRequest request, ClientStream stream) {}

  /** Serves a call; returns the answer (non-streaming) or null after streaming it. */
  ChatResponse serve(Call call, RunRecorder run) {
    ChatRequest request = call.request();
    GroupConfig group =
        router.group(request.model()).orElseThrow(() -> unknownModel(request.model()));
    List<Deployment> route = router.route(group);
    long start = System.nanoTime();
    run.record(
        new RunStarted(
            "gateway",
            "chat",
            call.api(),
            call.tenant().name(),
            request.model(),
            request.stream(),
            new Pins(config.version(), group.name(), route.stream().map(Deployment::name).toList()),
            Redactor.payload(call.tenant(), json(request))));
    boolean[] delivered = {false};
    try {
      return attemptRoute(call, run, route, start, delivered);
    } catch (UncheckedIOException clientGone) {
      run.record(
          new RunFailed(
              "client_disconnected",
              499,
              "the client closed the connection",
              delivered[0],
              millisSince(start)));
      throw clientGone;
    } catch (ApiError | ProviderException e) {
      throw e;
    } catch (RuntimeException e) {
      // Whatever went wrong, the run gets its terminal event: a journal never ends mid-air.
      run.record(
          new RunFailed(
              "internal_error", 500, String.valueOf(e), delivered[0], millisSince(start)));
      throw e;
    }
  }

  /** Tries the route in order; records every attempt and exactly one terminal event. */
  private ChatResponse attemptRoute(
      Call call, RunRecorder run, List<Deployment> route, long start, boolean[] delivered) {
    ChatRequest request = call.request();
    ProviderException last = null;
    for (int i = 0; i < route.size(); i++) {
      Deployment deployment = route.get(i);
      long attemptStart = System.nanoTime();
      double[] ttft = {-1};
      ChatResponse valid;
      try {
        ChatResponse response = attempt(call, deployment, attemptStart, ttft, delivered);
        valid = validator.validate(request, response);
      } catch (ProviderException e) {
        last = e;
        Disposition disposition = FailureClassification.of(e.errorClass());
        boolean more =
            i + 1 < route.size() && disposition.failover() == Failover.ANY && !delivered[0];
        run.record(
            failedAttempt(
                call, i + 1, deployment, e, attemptStart, ttft[0], more ? "failover" : "gave_up"));
        if (!more) {
          break;
        }
        continue;
      }
      double cost = deployment.config().price().cost(valid.usage());
      run.record(
          attemptEvent(
              call, i + 1, deployment, "ok", null, attemptStart, ttft[0], valid, cost, "answered"));
      if (call.stream() != null) {
        finishStream(call, valid, delivered[0]);
      }
      run.record(
          new RunCompleted(
              deployment.name(),
              valid.model(),
              valid.finishReason() == null ? null : valid.finishReason().openAiName(),
              valid.usage(),
              cost,
              millisSince(start),
              Redactor.payload(call.tenant(), json(valid.withRepairs(List.of())))));
      return valid;
    }
    ApiError error = Errors.fromProvider(last);
    run.record(
        new RunFailed(
            last.errorClass().wireName(),
            error.status(),
            last.getMessage(),
            delivered[0],
            millisSince(start)));
    if (call.stream() != null && delivered[0]) {
      call.stream().fail(error);
      return null;
    }
    throw error;
  }

  private ChatResponse attempt(
      Call call, Deployment deployment, long attemptStart, double[] ttft, boolean[] delivered) {
    ChatRequest request = call.request();
    CallOptions options =
        new CallOptions(deployment.config().model(), deployment.config().timeouts());
    if (call.stream() == null) {
      return deployment.provider().chat(request.withStream(false), options);
    }
    // Structured output can only be validated once complete, so it is held back and sent whole:
    // a client must never receive JSON that the validator would have rejected.
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
    return deployment.provider().chatStream(request.withStream(true), options, sink);
  }

  private static void finishStream(Call call, ChatResponse valid, boolean alreadyDelivered) {
    if (!alreadyDelivered) {
      Message message = valid.message();
      String text = message == null ? "" : message.text();
      if (!text.isEmpty()) {
        call.stream().delta(ChatDelta.text(text));
      }
      if (message != null && !message.toolCalls().isEmpty()) {
        List<ChatDelta.ToolCallDelta> calls = new java.util.ArrayList<>();
        for (int i = 0; i < message.toolCalls().size(); i++) {
          var tc = message.toolCalls().get(i);
          calls.add(new ChatDelta.ToolCallDelta(i, tc.id(), tc.name(), tc.arguments()));
        }
        call.stream().delta(new ChatDelta(null, calls));
      }
    }
    call.stream().complete(valid);
  }

  private ProviderAttempt attemptEvent(
      Call call,
      int attempt,
      Deployment d,
      String outcome,
      ProviderException error,
      long attemptStart,
      double ttft,
      ChatResponse response,
      double cost,
      String decision) {
    return new ProviderAttempt(
        attempt,
        d.name(),
        d.provider().name(),
        d.config().model(),
        outcome,
        error == null ? 200 : error.httpStatus(),
        error == null ? null : error.getMessage(),
        millisSince(attemptStart),
        ttft < 0 ? null : ttft,
        response == null ? null : response.usage(),
        cost,
        response == null ? null : response.model(),
        response == null ? null : response.systemFingerprint(),
        null,
        decision,
        response == null
            ? List.of()
            : response.repairs().stream()
                .map(r -> r.kind().name().toLowerCase(java.util.Locale.ROOT))
                .toList(),
        Redactor.payload(
            call.tenant(),
            response == null
                ? (error == null ? null : error.rawBody().orElse(null))
                : response.raw()),
        response == null
            ? null
            : Redactor.payload(call.tenant(), json(response.withRepairs(List.<Repair>of()))));
  }

  private ProviderAttempt failedAttempt(
      Call call,
      int attempt,
      Deployment d,
      ProviderException e,
      long attemptStart,
      double ttft,
      String decision) {
    return attemptEvent(
        call, attempt, d, e.errorClass().wireName(), e, attemptStart, ttft, null, 0, decision);
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

  private static double millisSince(long startNanos) {
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
