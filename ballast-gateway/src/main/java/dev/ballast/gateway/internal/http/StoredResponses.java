package dev.ballast.gateway.internal.http;

import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.gateway.internal.wire.ApiError;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Responses read back from the journal, which is where Ballast keeps them: a response {@code
 * resp_RUN} is run {@code RUN}, journaled with api {@code openai.responses}. A response created
 * with {@code store: false} is journaled all the same (every call is), but under another api, so it
 * is not found here. Only the caller's own tenant finds its responses; an administrator is no
 * exception, since continuing a conversation acts as its tenant.
 */
final class StoredResponses {
  private final JournalStore store;
  private final JournalWriter journal;

  StoredResponses(JournalStore store, JournalWriter journal) {
    this.store = store;
    this.journal = journal;
  }

  /**
   * A stored response: when it started, what was asked (null when capture is off) and how it ended
   * ({@code RunCompleted}, {@code RunFailed}, or null while it runs).
   */
  record Stored(
      String id,
      Instant createdAt,
      String model,
      ChatRequest request,
      JournalEvent terminal,
      ChatResponse answer) {}

  Stored find(Caller caller, String id, String param) {
    String runId = id.startsWith("resp_") ? id.substring("resp_".length()) : "";
    if (runId.isEmpty()) {
      throw notFound(id, param);
    }
    Stored stored = load(caller, id, runId, param);
    if (stored == null || stored.terminal() == null) {
      // The journal is written in batches: a run answered on this node moments ago may have its
      // start, or its end, still in the writer's queue. Give the writer a moment before saying no.
      journal.flush(Duration.ofSeconds(2));
      stored = load(caller, id, runId, param);
    }
    if (stored == null) {
      throw notFound(id, param);
    }
    return stored;
  }

  private Stored load(Caller caller, String id, String runId, String param) {
    Optional<RunSummary> run = store.findRun(runId);
    if (run.isEmpty()) {
      return null;
    }
    if (!run.get().tenant().equals(caller.name())) {
      throw notFound(id, param);
    }
    List<JournalEntry> events = store.events(runId);
    if (events.isEmpty()
        || !(events.getFirst().event() instanceof JournalEvent.RunStarted started)
        || !ModelCallsApi.OPENAI_RESPONSES.equals(started.api())) {
      throw notFound(id, param);
    }
    JournalEvent terminal = null;
    for (JournalEntry entry : events) {
      if (entry.event() instanceof JournalEvent.RunCompleted
          || entry.event() instanceof JournalEvent.RunFailed) {
        terminal = entry.event();
      }
    }
    ChatResponse answer =
        terminal instanceof JournalEvent.RunCompleted done
            ? read(done.response(), ChatResponse.class)
            : null;
    return new Stored(
        id,
        events.getFirst().at(),
        started.model(),
        read(started.request(), ChatRequest.class),
        terminal,
        answer);
  }

  /**
   * The conversation a stored response continues: what it was asked, then its answer. Refused when
   * the journal cannot give it back (capture off) or there is no answer to continue from.
   */
  List<Message> conversation(Stored stored) {
    if (stored.terminal() instanceof JournalEvent.RunFailed) {
      throw ApiError.invalid(
          "previous_response_id",
          "Invalid 'previous_response_id': response '"
              + stored.id()
              + "' failed; it has no"
              + " answer to continue from.");
    }
    if (stored.terminal() == null) {
      throw ApiError.invalid(
          "previous_response_id",
          "Invalid 'previous_response_id': response '" + stored.id() + "' is still in progress.");
    }
    if (stored.request() == null || stored.answer() == null || stored.answer().message() == null) {
      throw ApiError.invalid(
          "previous_response_id",
          "Invalid 'previous_response_id': response '"
              + stored.id()
              + "' was journaled without content (capture is off for this tenant), so its"
              + " conversation cannot be continued; send it in 'input'.");
    }
    List<Message> messages = new ArrayList<>(stored.request().messages());
    Message answer = stored.answer().message();
    messages.add(new Message(Role.ASSISTANT, answer.content(), null, answer.toolCalls(), null));
    return messages;
  }

  private <T> T read(Payload payload, Class<T> type) {
    if (payload == null) {
      return null;
    }
    Optional<byte[]> bytes = store.blob(payload.hash());
    if (bytes.isEmpty()) {
      return null;
    }
    try {
      return Json.mapper().readValue(bytes.get(), type);
    } catch (IOException e) {
      // A journal written by another version of the gateway: continue as if nothing was kept.
      return null;
    }
  }

  private static ApiError notFound(String id, String param) {
    String message =
        "No stored response with id '"
            + id
            + "' (responses created with store: false are not kept for retrieval).";
    return param.equals("previous_response_id")
        ? new ApiError(404, "invalid_request_error", "previous_response_not_found", param, message)
        : new ApiError(404, "invalid_request_error", "response_not_found", param, message);
  }
}
