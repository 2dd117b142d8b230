package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.ResponsesRequestReader;
import dev.ballast.gateway.internal.wire.ResponsesRequestReader.ResponsesRequest;
import dev.ballast.gateway.internal.wire.ResponsesWriter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as a front door of the chat chain: the
 * request is read into a chat request, called, journaled and replayed like one, and the answer is
 * rendered as a Responses object or event stream.
 */
final class ResponsesApi {
  private final Requests requests;
  private final ModelCallsApi modelCalls;
  private final JournalWriter journal;
  private final Clock clock;

  ResponsesApi(Requests requests, ModelCallsApi modelCalls, JournalWriter journal, Clock clock) {
    this.requests = requests;
    this.modelCalls = modelCalls;
    this.journal = journal;
    this.clock = clock;
  }

  /** {@code POST /v1/responses}; null when the response has been sent (streamed, idempotent). */
  JsonNode create(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    ResponsesRequest parsed = ResponsesRequestReader.read(body);
    if (parsed.previousResponseId() != null) {
      throw ApiError.invalid(
          "previous_response_id",
          "previous_response_id is not supported: send the conversation so far in 'input'.");
    }
    ChatRequest request = parsed.chat();
    ModelCallsApi.requireModel(caller, request.model());
    RunRecorder run = new RunRecorder(journal, clock, RunRecorder.newRunId(clock));
    ResponsesWriter.Header header =
        new ResponsesWriter.Header(
            "resp_" + run.runId(), clock.millis() / 1000, request.model(), body);
    return modelCalls.serveChat(
        req,
        res,
        caller,
        request,
        run,
        new ModelCallsApi.ChatDoor(
            ModelCallsApi.OPENAI_RESPONSES,
            "responses\n" + body,
            false,
            response -> ResponsesWriter.response(header, response),
            out -> new ResponsesStream(out, header)));
  }
}
