package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.ClientStream;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.CompletionsWire;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;
import dev.ballast.gateway.internal.wire.Usd;

/** A legacy completions stream: text chunks, a final chunk, optional usage, {@code [DONE]}. */
final class CompletionsStream implements ClientStream {
  private final SseOutput out;
  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;

  CompletionsStream(SseOutput out, String id, long created, String model, boolean includeUsage) {
    this.out = out;
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  @Override
  public void delta(ChatDelta delta) {
    if (delta.content() != null && !delta.content().isEmpty()) {
      out.event(null, CompletionsWire.chunk(id, created, model, delta.content(), null));
    }
  }

  @Override
  public void complete(ChatResponse response, double costUsd) {
    out.event(
        null,
        CompletionsWire.chunk(id, created, response.model(), "", CompletionsWire.finish(response)));
    if (includeUsage) {
      ObjectNode chunk = CompletionsWire.usageChunk(id, created, response);
      if (chunk.get("usage") instanceof ObjectNode usage) {
        usage.put("cost_usd", Usd.of(costUsd));
      }
      out.event(null, chunk);
    }
    out.raw("data: [DONE]\n\n");
  }

  @Override
  public void fail(FailureAnswer failure) {
    // No finish_reason and no [DONE]: the official SDKs surface an error event as an exception.
    out.event(null, OpenAiResponseWriter.error(ApiError.of(failure)));
  }
}
