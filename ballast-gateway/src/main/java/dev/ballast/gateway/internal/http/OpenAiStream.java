package dev.ballast.gateway.internal.http;

import dev.ballast.calls.ClientStream;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;

/** An OpenAI chat-completion stream: chunks, a final chunk, optional usage, {@code [DONE]}. */
final class OpenAiStream implements ClientStream {
  private final SseOutput out;
  private final String id;
  private final long created;
  private final boolean includeUsage;

  /**
   * The model the chunks name: the requested one until a delta names the answering model, which
   * every provider does before its first token, so in practice every chunk names the answering
   * model, as OpenAI does for an alias.
   */
  private String model;

  private boolean first = true;

  OpenAiStream(SseOutput out, String id, long created, String model, boolean includeUsage) {
    this.out = out;
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  @Override
  public void delta(ChatDelta delta) {
    model = delta.model() != null ? delta.model() : model;
    out.event(null, OpenAiResponseWriter.chunk(id, created, model, delta, first));
    first = false;
  }

  @Override
  public void complete(ChatResponse response, double costUsd) {
    out.event(null, OpenAiResponseWriter.finalChunk(id, created, response));
    if (includeUsage) {
      out.event(null, OpenAiResponseWriter.usageChunk(id, created, response, costUsd));
    }
    out.raw("data: [DONE]\n\n");
  }

  @Override
  public void fail(FailureAnswer failure) {
    ApiError error = ApiError.of(failure);
    // No finish_reason and no [DONE]: the official SDKs surface an error event as an exception.
    out.event(null, OpenAiResponseWriter.error(error));
  }
}
