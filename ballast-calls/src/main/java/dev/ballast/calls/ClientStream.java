package dev.ballast.calls;

import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;

/**
 * The client's side of a streamed answer, in the client's wire format. Called from the thread
 * serving the call; an {@link java.io.UncheckedIOException} means the client went away.
 */
public interface ClientStream {
  void delta(ChatDelta delta);

  /**
   * Ends the stream cleanly: finish reason, usage, terminator.
   *
   * @param costUsd what the call cost, failed attempts the provider bills included: a streamed
   *     answer's headers were sent before it was known, so the final event carries it
   */
  void complete(ChatResponse response, double costUsd);

  /**
   * Ends the stream with an explicit error event and no clean terminator, so no client can mistake
   * a truncated answer for a complete one.
   */
  void fail(FailureAnswer failure);
}
