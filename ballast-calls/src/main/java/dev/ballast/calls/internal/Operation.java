package dev.ballast.calls.internal;

import dev.ballast.calls.ClientStream;
import dev.ballast.calls.ModelCall;
import dev.ballast.core.config.OutputChecks;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import java.util.List;

/**
 * What differs between a chat call and an embeddings call; the chain's steps are the same for both.
 *
 * @param <R> the provider's response type
 */
public interface Operation<R> {

  /** The call: tenant, deadline, priority, origin and the run it is journaled in. */
  ModelCall call();

  /** The journal's name of the operation: {@code chat} or {@code embeddings}. */
  String name();

  /** The wire format the caller used. */
  String api();

  /** The public model name the caller asked for. */
  String model();

  boolean streamed();

  /** Where a streamed answer goes; null when the call does not stream. */
  ClientStream stream();

  /** The normalized request as JSON, before the capture policy is applied. */
  String requestJson();

  /** The request's input tokens counted locally, for admission. */
  int inputTokens();

  /**
   * The most output tokens the answer may have ({@code max_tokens}), reserved against the budget; 0
   * for an operation without output, null when the request states no limit.
   */
  Integer maxOutputTokens();

  /** The provider call itself, on the attempt's deployment with the attempt's options. */
  R invoke(AttemptExchange<R> attempt, CallOptions options);

  /** The answer checked against what was asked for; throws a format violation if it is not. */
  R validate(R response, CallExchange<R> call);

  /**
   * The output checks' verdict on a validated answer: the rules it failed, empty when it passed or
   * when the operation has no text to judge (embeddings).
   */
  List<OutputCheckFailure> check(R response, OutputChecks checks);

  /**
   * The answer as received, kept with an attempt that failed on it (under the capture policy, when
   * {@link #keepsRawErrors}); null when there is nothing to keep.
   */
  String rawAnswer(R response);

  /**
   * The answer with its cost (the answering attempt's own, without what attempts it continued cost)
   * and its payload for the journal.
   */
  CallAnswer<R> price(CallAnswer<R> answer, CallExchange<R> call);

  /** Output tokens the answer used, added to the tenant's per-minute tokens. */
  int outputTokens(R response);

  /** The journal's record of the answering attempt's response (raw, as received), or null. */
  Payload rawPayload(R response);

  /** Whether a failed attempt's raw error body goes into the journal (under the capture policy). */
  boolean keepsRawErrors();

  /** The answering attempt's facts for its journal event. */
  AttemptFacts facts(R response);

  RunCompleted completed(CallAnswer<R> answer, double durationMs);

  /** Sends what the client has not yet received of a streamed answer, then ends the stream. */
  void deliver(CallAnswer<R> answer, CallExchange<R> call);

  /**
   * What an answering attempt tells the journal besides its deployment and timing.
   *
   * @param repairs the normalization repairs applied, lower-case names
   */
  record AttemptFacts(
      Usage usage, String responseModel, String systemFingerprint, List<String> repairs) {}
}
