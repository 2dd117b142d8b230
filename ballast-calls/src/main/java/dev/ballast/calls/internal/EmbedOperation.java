package dev.ballast.calls.internal;

import dev.ballast.calls.ClientStream;
import dev.ballast.calls.EmbedCall;
import dev.ballast.calls.ModelCall;
import dev.ballast.calls.Redactor;
import dev.ballast.core.config.OutputChecks;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.core.spi.CallOptions;
import java.util.List;

/** An embeddings call: never streamed; its vectors are journaled unless an index asked. */
public final class EmbedOperation implements Operation<EmbeddingResponse> {
  private final EmbedCall call;

  public EmbedOperation(EmbedCall call) {
    this.call = call;
  }

  @Override
  public ModelCall call() {
    return call;
  }

  @Override
  public String name() {
    return "embeddings";
  }

  @Override
  public String api() {
    return "openai";
  }

  @Override
  public String model() {
    return call.request().model();
  }

  @Override
  public boolean streamed() {
    return false;
  }

  @Override
  public ClientStream stream() {
    return null;
  }

  @Override
  public String requestJson() {
    return JsonText.of(call.request());
  }

  @Override
  public Integer maxOutputTokens() {
    return 0;
  }

  @Override
  public int inputTokens() {
    return call.request().input().stream().mapToInt(TokenCounter::count).sum();
  }

  @Override
  public EmbeddingResponse invoke(AttemptExchange<EmbeddingResponse> attempt, CallOptions options) {
    return attempt.deployment().provider().embed(call.request(), options);
  }

  @Override
  public EmbeddingResponse validate(
      EmbeddingResponse response, CallExchange<EmbeddingResponse> exchange) {
    return response;
  }

  @Override
  public List<OutputCheckFailure> check(EmbeddingResponse response, OutputChecks checks) {
    return List.of();
  }

  @Override
  public String rawAnswer(EmbeddingResponse response) {
    return null;
  }

  @Override
  public CallAnswer<EmbeddingResponse> price(
      CallAnswer<EmbeddingResponse> answer, CallExchange<EmbeddingResponse> call) {
    return answer.priced(
        answer.deployment().config().price().cost(answer.response().usage()), null);
  }

  @Override
  public int outputTokens(EmbeddingResponse response) {
    return 0;
  }

  @Override
  public boolean keepsRawErrors() {
    return false;
  }

  @Override
  public Payload rawPayload(EmbeddingResponse response) {
    return null;
  }

  @Override
  public AttemptFacts facts(EmbeddingResponse r) {
    return new AttemptFacts(r.usage(), r.model(), null, List.of());
  }

  @Override
  public RunCompleted completed(CallAnswer<EmbeddingResponse> answer, double durationMs) {
    EmbeddingResponse r = answer.response();
    return new RunCompleted(
        answer.deployment().name(),
        r.model(),
        null,
        r.usage(),
        answer.cost(),
        durationMs,
        // The vectors, under the tenant's capture policy like every answer: a replay of the call
        // (or of a pipeline stage that made it) is fed from here.
        call.origin().keepsEmbeddings() ? Redactor.payload(call.tenant(), JsonText.of(r)) : null);
  }

  @Override
  public void deliver(
      CallAnswer<EmbeddingResponse> answer, CallExchange<EmbeddingResponse> exchange) {}
}
