package dev.ballast.core.spi;

import dev.ballast.core.model.ChatDelta;

/**
 * Receives the deltas of a streamed answer, in order, on the thread that called {@link
 * Provider#chatStream}. Implementations must not block for long: a slow sink stalls the upstream
 * read.
 */
@FunctionalInterface
public interface StreamSink {
  void onDelta(ChatDelta delta);
}
