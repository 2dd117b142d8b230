package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.pipeline.NetworkForbiddenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.function.Function;

/**
 * A deployment's provider during a deterministic replay: it answers from the recorded attempts, in
 * the order they were journaled, and opens no connection. An attempt the recording does not hold
 * (the loop decided differently: another deployment, one attempt more) throws {@link
 * NetworkForbiddenException}, which ends the replayed call instead of going live.
 */
final class RecordedProvider implements Provider {
  private final String deployment;
  private final String name;
  private final Deque<ProviderAttempt> recorded;
  private final Function<String, byte[]> blobs;

  /**
   * @param recorded the call's attempts still to be answered, shared by its deployments
   */
  RecordedProvider(
      String deployment,
      String name,
      Deque<ProviderAttempt> recorded,
      Function<String, byte[]> blobs) {
    this.deployment = deployment;
    this.name = name;
    this.recorded = recorded;
    this.blobs = blobs;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String system() {
    return "replay";
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    ProviderAttempt next = recorded.peekFirst();
    if (next == null || !next.deployment().equals(deployment)) {
      throw new NetworkForbiddenException(
          deployment,
          "the replay tried deployment "
              + deployment
              + " where the recording has "
              + (next == null ? "no further attempt" : "an attempt at " + next.deployment()));
    }
    recorded.removeFirst();
    if (next.ok()) {
      byte[] bytes = next.response() == null ? null : blobs.apply(next.response().hash());
      if (bytes == null) {
        throw new NetworkForbiddenException(
            deployment, "the answer of attempt " + next.attempt() + " was not captured");
      }
      try {
        return Json.mapper().readValue(bytes, ChatResponse.class);
      } catch (IOException e) {
        throw new NetworkForbiddenException(
            deployment,
            "the recorded answer of attempt " + next.attempt() + " is unreadable: " + e);
      }
    }
    byte[] raw = next.rawResponse() == null ? null : blobs.apply(next.rawResponse().hash());
    throw new ProviderException(
        next.failure()
            .orElseThrow(
                () ->
                    new NetworkForbiddenException(
                        deployment,
                        "attempt "
                            + next.attempt()
                            + " has an unknown outcome: "
                            + next.outcome())),
        next.httpStatus(),
        null,
        null,
        next.error(),
        raw == null ? null : new String(raw, StandardCharsets.UTF_8),
        null);
  }

  /**
   * A streamed call is replayed as what reached the client, not as its timing: an attempt that
   * failed after delivering text delivers it again (so the chain decides to continue, or to give
   * up, as it did), and an attempt that continued the stream delivers the rest of the recorded
   * answer, with what the original answer repeated, and its own usage.
   */
  @Override
  public ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink) {
    ProviderAttempt next = recorded.peekFirst();
    if (next != null && next.deployment().equals(deployment)) {
      String text = streamedText(next);
      if (!text.isEmpty()) {
        sink.onDelta(ChatDelta.text(text));
      }
    }
    ChatResponse response = chat(request, options);
    return next != null && next.continuation() != null
        ? response.withUsage(next.usage())
        : response;
  }

  /** The text {@code attempt} streamed to the client, as far as the recording tells it. */
  private String streamedText(ProviderAttempt attempt) {
    ProviderAttempt.Continuation from = attempt.continuation();
    int start = from == null ? 0 : from.deliveredChars();
    // What the continuing model repeated was dropped then: it is sent again, and dropped again.
    int begin = from == null ? 0 : start - Math.min(start, from.overlapChars());
    String answer = recordedAnswerText();
    if (attempt.ok()) {
      if (from == null || answer == null || start > answer.length()) {
        return "";
      }
      return answer.substring(begin);
    }
    if (attempt.usage() == null || attempt.usage().outputTokens() == 0) {
      return "";
    }
    ProviderAttempt continuing = recorded.stream().skip(1).findFirst().orElse(null);
    if (answer != null && continuing != null && continuing.continuation() != null) {
      int end = continuing.continuation().deliveredChars();
      return end >= start && end <= answer.length() ? answer.substring(begin, end) : "";
    }
    // The stream was not continued, so its text was never recorded whole: a stand-in tells the
    // chain that part of the answer had reached the client.
    return " ";
  }

  /** The text of the recording's answer, or null when it has none (or it was not captured). */
  private String recordedAnswerText() {
    ProviderAttempt last = recorded.peekLast();
    if (last == null || !last.ok() || last.response() == null) {
      return null;
    }
    byte[] bytes = blobs.apply(last.response().hash());
    if (bytes == null) {
      return null;
    }
    try {
      ChatResponse answer = Json.mapper().readValue(bytes, ChatResponse.class);
      return answer.message() == null ? "" : answer.message().text();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    throw new NetworkForbiddenException(
        deployment, "embedding calls are not replayed through " + deployment);
  }
}
