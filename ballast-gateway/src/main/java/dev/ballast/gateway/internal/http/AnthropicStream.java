package dev.ballast.gateway.internal.http;

import dev.ballast.calls.ClientStream;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.gateway.internal.wire.AnthropicResponseWriter;
import dev.ballast.gateway.internal.wire.ApiError;

/**
 * An Anthropic Messages stream. Content blocks are opened as deltas arrive: text in one block, each
 * tool call in its own {@code tool_use} block.
 */
final class AnthropicStream implements ClientStream {
  private final SseOutput out;
  private final String id;
  private final int inputTokens;

  /** The requested model until a delta names the answering one (before message_start is sent). */
  private String model;

  private boolean started;
  private int blockIndex = -1;
  private int openToolIndex = -1;
  private boolean textOpen;

  AnthropicStream(SseOutput out, String id, String model, int inputTokens) {
    this.out = out;
    this.id = id;
    this.model = model;
    this.inputTokens = inputTokens;
  }

  @Override
  public void delta(ChatDelta delta) {
    model = delta.model() != null ? delta.model() : model;
    start();
    if (delta.content() != null && !delta.content().isEmpty()) {
      if (!textOpen) {
        closeBlock();
        blockIndex++;
        textOpen = true;
        out.event("content_block_start", AnthropicResponseWriter.textBlockStart(blockIndex));
      }
      out.event(
          "content_block_delta", AnthropicResponseWriter.textDelta(blockIndex, delta.content()));
    }
    for (ChatDelta.ToolCallDelta call : delta.toolCalls()) {
      if (call.index() != openToolIndex || textOpen) {
        closeBlock();
        blockIndex++;
        openToolIndex = call.index();
        out.event(
            "content_block_start",
            AnthropicResponseWriter.toolBlockStart(blockIndex, call.id(), call.name()));
      }
      if (call.arguments() != null && !call.arguments().isEmpty()) {
        out.event(
            "content_block_delta", AnthropicResponseWriter.jsonDelta(blockIndex, call.arguments()));
      }
    }
  }

  @Override
  public void complete(ChatResponse response, double costUsd) {
    model = response.model() != null ? response.model() : model;
    start();
    closeBlock();
    out.event("message_delta", AnthropicResponseWriter.messageDelta(response, costUsd));
    out.event("message_stop", AnthropicResponseWriter.messageStop());
  }

  @Override
  public void fail(FailureAnswer failure) {
    ApiError error = ApiError.of(failure);
    out.event("error", AnthropicResponseWriter.error(error));
  }

  private void start() {
    if (!started) {
      started = true;
      out.event("message_start", AnthropicResponseWriter.messageStart(id, model, inputTokens));
    }
  }

  private void closeBlock() {
    if (blockIndex >= 0 && (textOpen || openToolIndex >= 0)) {
      out.event("content_block_stop", AnthropicResponseWriter.blockStop(blockIndex));
    }
    textOpen = false;
    openToolIndex = -1;
  }
}
