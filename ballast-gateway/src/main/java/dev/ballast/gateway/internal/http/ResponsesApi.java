package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.ResponsesRequestReader;
import dev.ballast.gateway.internal.wire.ResponsesRequestReader.ResponsesRequest;
import dev.ballast.gateway.internal.wire.ResponsesWriter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as a front door of the chat chain: the
 * request is read into a chat request, called, journaled and replayed like one, and the answer is
 * rendered as a Responses object or event stream.
 */
final class ResponsesApi {
  private final Requests requests;
  private final ModelCallsApi modelCalls;
  private final JournalWriter journal;
  private final StoredResponses stored;
  private final Clock clock;

  ResponsesApi(
      Requests requests,
      ModelCallsApi modelCalls,
      JournalWriter journal,
      StoredResponses stored,
      Clock clock) {
    this.requests = requests;
    this.modelCalls = modelCalls;
    this.journal = journal;
    this.stored = stored;
    this.clock = clock;
  }

  /** {@code POST /v1/responses}; null when the response has been sent (streamed, idempotent). */
  JsonNode create(Caller caller, ServerRequest req, ServerResponse res) {
    return modelCalls.limited(caller, res, () -> respond(caller, req, res));
  }

  private JsonNode respond(Caller caller, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.json(req);
    ResponsesRequest parsed = ResponsesRequestReader.read(body);
    ChatRequest request = parsed.chat();
    ModelCallsApi.requireModel(caller, request.model());
    if (parsed.previousResponseId() != null) {
      request = continued(caller, parsed.previousResponseId(), request);
    }
    RunRecorder run = modelCalls.newRun(caller);
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
            parsed.store()
                ? ModelCallsApi.OPENAI_RESPONSES
                : ModelCallsApi.OPENAI_RESPONSES_UNSTORED,
            "responses\n" + body,
            false,
            response -> ResponsesWriter.response(header, response),
            out -> new ResponsesStream(out, header)));
  }

  /** {@code GET /v1/responses/{id}}: a stored response as it ended (or is, while it runs). */
  JsonNode get(Caller caller, ServerRequest req) {
    StoredResponses.Stored response =
        stored.find(caller, req.path().pathParameters().get("id"), "response_id");
    // The request's own fields (tools, metadata, text) are not journaled as sent, only the call
    // they made: the object echoes the API's defaults for them.
    ResponsesWriter.Header header =
        new ResponsesWriter.Header(
            response.id(),
            response.createdAt().getEpochSecond(),
            response.model(),
            JsonNodeFactory.instance.objectNode());
    return switch (response.terminal()) {
      case JournalEvent.RunCompleted done ->
          ResponsesWriter.response(
              header,
              response.answer() != null
                  ? response.answer()
                  : new ChatResponse(
                      null,
                      done.responseModel(),
                      null,
                      null,
                      FinishReason.parse(done.finishReason()),
                      done.usage(),
                      null,
                      null));
      case JournalEvent.RunFailed failed ->
          ResponsesWriter.failed(
              header,
              new ApiError(
                  failed.httpStatus(),
                  "server_error",
                  failed.errorClass(),
                  null,
                  failed.message()));
      case null, default -> ResponsesWriter.inProgress(header);
    };
  }

  /**
   * The request continued from a stored response: its conversation, then the new input. The new
   * request's {@code instructions} (its leading system messages) replace the earlier turns' system
   * messages, as the Responses API does not carry instructions over; without them the earlier ones
   * stay.
   */
  private ChatRequest continued(Caller caller, String previousId, ChatRequest request) {
    List<Message> earlier =
        stored.conversation(stored.find(caller, previousId, "previous_response_id"));
    List<Message> leadingSystem = new ArrayList<>();
    List<Message> rest = new ArrayList<>();
    for (Message m : request.messages()) {
      (rest.isEmpty() && m.role() == Role.SYSTEM ? leadingSystem : rest).add(m);
    }
    List<Message> messages = new ArrayList<>(leadingSystem);
    for (Message m : earlier) {
      if (leadingSystem.isEmpty() || m.role() != Role.SYSTEM) {
        messages.add(m);
      }
    }
    messages.addAll(rest);
    return new ChatRequest(
        request.model(),
        messages,
        request.tools(),
        request.toolChoice(),
        request.responseFormat(),
        request.temperature(),
        request.topP(),
        request.maxTokens(),
        request.stop(),
        request.stream(),
        request.user());
  }
}
