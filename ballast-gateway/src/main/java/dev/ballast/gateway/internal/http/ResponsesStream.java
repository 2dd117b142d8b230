package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.calls.ClientStream;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.ResponsesWriter;
import dev.ballast.gateway.internal.wire.Usd;

/**
 * An OpenAI Responses stream: {@code response.created}, then output items opened as deltas arrive
 * (text in one {@code message} item, each tool call in its own {@code function_call} item), each
 * closed with its {@code .done} events, and {@code response.completed} (or {@code
 * response.incomplete}) carrying the whole response. Every event has a {@code sequence_number}.
 *
 * <p>Nothing is sent before the first delta, so a call that fails before it can still be answered
 * with an HTTP error status.
 */
final class ResponsesStream implements ClientStream {
  private final SseOutput out;
  private final ResponsesWriter.Header header;
  private int sequence;
  private boolean started;
  private int outputIndex = -1;
  private int toolIndex = -1;
  private StringBuilder text;
  private StringBuilder arguments;
  private String callId;
  private String callName;

  ResponsesStream(SseOutput out, ResponsesWriter.Header header) {
    this.out = out;
    this.header = header;
  }

  @Override
  public void delta(ChatDelta delta) {
    start();
    if (delta.content() != null && !delta.content().isEmpty()) {
      if (text == null) {
        closeItem();
        openMessage();
      }
      text.append(delta.content());
      ObjectNode e = event("response.output_text.delta");
      e.put("item_id", header.messageId());
      e.put("output_index", outputIndex);
      e.put("content_index", 0);
      e.put("delta", delta.content());
      e.putArray("logprobs");
      send(e);
    }
    for (ChatDelta.ToolCallDelta call : delta.toolCalls()) {
      if (arguments == null || call.index() != toolIndex) {
        closeItem();
        openFunctionCall(call);
      }
      if (call.arguments() != null && !call.arguments().isEmpty()) {
        arguments.append(call.arguments());
        ObjectNode e = event("response.function_call_arguments.delta");
        e.put("item_id", header.functionCallId(toolIndex));
        e.put("output_index", outputIndex);
        e.put("delta", call.arguments());
        send(e);
      }
    }
  }

  @Override
  public void complete(ChatResponse response, double costUsd) {
    start();
    closeItem();
    ObjectNode full = ResponsesWriter.response(header, response);
    // Ballast's cost, as on the chat door's final usage: the headers went out before it was known.
    if (full.get("usage") instanceof ObjectNode usage) {
      usage.put("cost_usd", Usd.of(costUsd));
    }
    String status = full.get("status").asText();
    ObjectNode e =
        event("incomplete".equals(status) ? "response.incomplete" : "response.completed");
    e.set("response", full);
    send(e);
  }

  @Override
  public void fail(FailureAnswer failure) {
    ApiError error = ApiError.of(failure);
    ObjectNode failed = event("response.failed");
    failed.set("response", ResponsesWriter.failed(header, error));
    send(failed);
    // The error event as OpenAI sends it: the official SDKs raise it as an exception.
    ObjectNode e = event("error");
    e.put("code", error.code());
    e.put("message", error.getMessage());
    if (error.param() == null) {
      e.putNull("param");
    } else {
      e.put("param", error.param());
    }
    send(e);
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    ObjectNode created = event("response.created");
    created.set("response", ResponsesWriter.inProgress(header));
    send(created);
    ObjectNode inProgress = event("response.in_progress");
    inProgress.set("response", ResponsesWriter.inProgress(header));
    send(inProgress);
  }

  private void openMessage() {
    outputIndex++;
    text = new StringBuilder();
    ObjectNode added = event("response.output_item.added");
    added.put("output_index", outputIndex);
    added.set("item", ResponsesWriter.messageItem(header.messageId(), "in_progress", null));
    send(added);
    ObjectNode part = event("response.content_part.added");
    part.put("item_id", header.messageId());
    part.put("output_index", outputIndex);
    part.put("content_index", 0);
    part.set("part", ResponsesWriter.textPart(""));
    send(part);
  }

  private void openFunctionCall(ChatDelta.ToolCallDelta call) {
    outputIndex++;
    toolIndex++;
    arguments = new StringBuilder();
    callId = call.id();
    callName = call.name();
    ObjectNode added = event("response.output_item.added");
    added.put("output_index", outputIndex);
    added.set(
        "item",
        ResponsesWriter.functionCallItem(
            header.functionCallId(toolIndex), callId, callName, "", "in_progress"));
    send(added);
  }

  private void closeItem() {
    if (text != null) {
      String done = text.toString();
      text = null;
      ObjectNode textDone = event("response.output_text.done");
      textDone.put("item_id", header.messageId());
      textDone.put("output_index", outputIndex);
      textDone.put("content_index", 0);
      textDone.put("text", done);
      textDone.putArray("logprobs");
      send(textDone);
      ObjectNode partDone = event("response.content_part.done");
      partDone.put("item_id", header.messageId());
      partDone.put("output_index", outputIndex);
      partDone.put("content_index", 0);
      partDone.set("part", ResponsesWriter.textPart(done));
      send(partDone);
      itemDone(ResponsesWriter.messageItem(header.messageId(), "completed", done));
    } else if (arguments != null) {
      String done = arguments.toString();
      arguments = null;
      ObjectNode argsDone = event("response.function_call_arguments.done");
      argsDone.put("item_id", header.functionCallId(toolIndex));
      argsDone.put("output_index", outputIndex);
      argsDone.put("name", callName);
      argsDone.put("arguments", done);
      send(argsDone);
      itemDone(
          ResponsesWriter.functionCallItem(
              header.functionCallId(toolIndex), callId, callName, done, "completed"));
    }
  }

  private void itemDone(ObjectNode item) {
    ObjectNode e = event("response.output_item.done");
    e.put("output_index", outputIndex);
    e.set("item", item);
    send(e);
  }

  private ObjectNode event(String type) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("type", type);
    e.put("sequence_number", sequence++);
    return e;
  }

  private void send(ObjectNode event) {
    out.event(event.get("type").asText(), event);
  }
}
