package dev.ballast.calls;

import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;

/**
 * The client's side of a streamed answer, in the client's wire format. Called from the thread
 * serving the call; an {@link java.io.UncheckedIOException} means the client went away.
 */
public interface ClientStream {
  void delta(ChatDelta delta);

  /** Ends the stream cleanly: finish reason, usage, terminator. */
  void complete(ChatResponse response);

  /**
   * Ends the stream with an explicit error event and no clean terminator, so no client can mistake
   * a truncated answer for a complete one.
   */
  void fail(FailureAnswer failure);
}
