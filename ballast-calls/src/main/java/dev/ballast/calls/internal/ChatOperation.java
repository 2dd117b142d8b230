package dev.ballast.calls.internal;

import dev.ballast.calls.ChatCall;
import dev.ballast.calls.ClientStream;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.ModelCall;
import dev.ballast.calls.Redactor;
import dev.ballast.core.config.ExpectedIdentity;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.config.OutputChecks;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import dev.ballast.core.normalize.ResponseValidator;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.StreamSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chat call: streamed to the client as deltas arrive (structured output held back until it is
 * validated), or answered whole.
 */
public final class ChatOperation implements Operation<ChatResponse> {
  private final ChatCall call;
  private final ResponseValidator validator;

  public ChatOperation(ChatCall call, ResponseValidator validator) {
    this.call = call;
    this.validator = validator;
  }

  @Override
  public ModelCall call() {
    return call;
  }

  @Override
  public String name() {
    return "chat";
  }

  @Override
  public String api() {
    return call.api();
  }

  @Override
  public String model() {
    return call.request().model();
  }

  @Override
  public boolean streamed() {
    return call.request().stream();
  }

  @Override
  public ClientStream stream() {
    return call.stream();
  }

  @Override
  public String requestJson() {
    return JsonText.of(call.request());
  }

  @Override
  public Integer maxOutputTokens() {
    return call.request().maxTokens();
  }

  @Override
  public int inputTokens() {
    return TokenCounter.countInput(call.request());
  }

  @Override
  public ChatResponse invoke(AttemptExchange<ChatResponse> attempt, CallOptions options) {
    ChatRequest request = call.request();
    if (call.stream() == null) {
      return attempt.deployment().provider().chat(request.withStream(false), options);
    }
    CallExchange<ChatResponse> exchange = attempt.exchange();
    boolean holdBack = holdsBack(request, exchange.group(), attempt.deployment());
    if (attempt.continuation() != null) {
      return continueStream(attempt, options);
    }
    StreamSink sink =
        delta -> {
          if (delta.hasContent()) {
            attempt.firstToken();
          }
          if (!holdBack && delta.hasContent()) {
            send(delta, attempt);
          }
        };
    return attempt.deployment().provider().chatStream(request.withStream(true), options, sink);
  }

  /**
   * Asks the attempt's deployment to continue the answer the client holds part of, sends what it
   * adds (without what it repeats) and returns the whole answer.
   */
  private ChatResponse continueStream(AttemptExchange<ChatResponse> attempt, CallOptions options) {
    CallExchange<ChatResponse> exchange = attempt.exchange();
    AttemptExchange.Continued continued = attempt.continuation();
    String delivered = exchange.deliveredText();
    ChatRequest request = ContinuationRequest.of(call.request(), delivered, continued.form());
    OverlapFilter overlap = new OverlapFilter(delivered, continued.form());
    StreamSink sink =
        delta -> {
          if (delta.hasContent()) {
            attempt.firstToken();
            send(overlap.accept(delta), attempt);
            attempt.overlapStripped(overlap.stripped());
          }
        };
    ChatResponse own = attempt.deployment().provider().chatStream(request, options, sink);
    send(overlap.flush(), attempt);
    attempt.overlapStripped(overlap.stripped());
    return spliced(own, exchange);
  }

  private void send(ChatDelta delta, AttemptExchange<ChatResponse> attempt) {
    if (delta == null || !delta.hasContent()) {
      return;
    }
    call.stream().delta(delta);
    attempt.exchange().delivered(delta);
    attempt.delivered(delta.content());
  }

  /**
   * The whole answer the client received: the text every attempt delivered, this attempt's tool
   * calls, and the usage summed over the attempts the text came from.
   */
  private ChatResponse spliced(ChatResponse own, CallExchange<ChatResponse> exchange) {
    Message message = own.message();
    List<ToolCall> toolCalls = message == null ? List.of() : message.toolCalls();
    String text = exchange.deliveredText();
    Message whole =
        new Message(
            Role.ASSISTANT,
            text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text)),
            null,
            toolCalls,
            null);
    Usage ownUsage =
        own.usage() != null
            ? own.usage()
            : new Usage(
                TokenCounter.countInput(call.request()),
                TokenCounter.count(message == null ? "" : message.text()),
                0,
                0,
                true);
    return own.withMessage(whole).withUsage(Usages.plus(exchange.carriedUsage(), ownUsage));
  }

  /**
   * Whether a streamed answer is held back and sent whole once it has been judged. Structured
   * output can only be validated once complete: a client must never receive JSON that the validator
   * would have rejected. A group whose checks say {@code stream: hold} wants its checks enforced on
   * streams too, and a deployment pinned with {@code on_mismatch: fail} must not send a word from
   * another model; both cost the client its early tokens.
   */
  private static boolean holdsBack(ChatRequest request, GroupConfig group, Deployment deployment) {
    if (request.responseFormat() != null
        && request.responseFormat().type() != ResponseFormat.Type.TEXT) {
      return true;
    }
    OutputChecks checks = group.checks();
    if (!checks.isEmpty() && checks.stream() == OutputChecks.StreamPolicy.HOLD) {
      return true;
    }
    ExpectedIdentity expect = deployment.config().expect();
    return !expect.isEmpty() && expect.onMismatch() == ExpectedIdentity.OnMismatch.FAIL;
  }

  @Override
  public List<OutputCheckFailure> check(ChatResponse response, OutputChecks checks) {
    Message message = response.message();
    return checks.failures(
        message == null ? "" : message.text(),
        response.usage() == null ? 0 : response.usage().outputTokens(),
        message != null && !message.toolCalls().isEmpty());
  }

  @Override
  public String rawAnswer(ChatResponse response) {
    return response.raw();
  }

  @Override
  public ChatResponse validate(ChatResponse response, CallExchange<ChatResponse> exchange) {
    return validator.validate(call.request(), response);
  }

  @Override
  public CallAnswer<ChatResponse> price(
      CallAnswer<ChatResponse> answer, CallExchange<ChatResponse> exchange) {
    ChatResponse valid = answer.response();
    Usage own = Usages.minus(valid.usage(), exchange.carriedUsage());
    return answer.priced(
        answer.deployment().config().price().cost(own),
        Redactor.payload(call.tenant(), JsonText.of(valid.withRepairs(List.of()))));
  }

  @Override
  public int outputTokens(ChatResponse response) {
    return response.usage().outputTokens();
  }

  @Override
  public boolean keepsRawErrors() {
    return true;
  }

  @Override
  public Payload rawPayload(ChatResponse response) {
    return Redactor.payload(call.tenant(), response.raw());
  }

  @Override
  public AttemptFacts facts(ChatResponse r) {
    return new AttemptFacts(
        r.usage(),
        r.model(),
        r.systemFingerprint(),
        r.repairs().stream().map(x -> x.kind().name().toLowerCase(Locale.ROOT)).toList());
  }

  @Override
  public RunCompleted completed(CallAnswer<ChatResponse> answer, double durationMs) {
    ChatResponse r = answer.response();
    return new RunCompleted(
        answer.deployment().name(),
        r.model(),
        r.finishReason() == null ? null : r.finishReason().openAiName(),
        r.usage(),
        answer.cost(),
        durationMs,
        answer.payload());
  }

  @Override
  public void deliver(CallAnswer<ChatResponse> answer, CallExchange<ChatResponse> exchange) {
    ChatResponse valid = answer.response();
    if (!exchange.delivered()) {
      Message message = valid.message();
      String text = message == null ? "" : message.text();
      if (!text.isEmpty()) {
        call.stream().delta(ChatDelta.text(text).withModel(valid.model()));
      }
      if (message != null && !message.toolCalls().isEmpty()) {
        List<ChatDelta.ToolCallDelta> calls = new ArrayList<>();
        for (int i = 0; i < message.toolCalls().size(); i++) {
          ToolCall tc = message.toolCalls().get(i);
          calls.add(new ChatDelta.ToolCallDelta(i, tc.id(), tc.name(), tc.arguments()));
        }
        call.stream().delta(new ChatDelta(null, calls, valid.model()));
      }
    }
    call.stream().complete(valid, answer.cost() + exchange.unansweredCost());
  }
}
