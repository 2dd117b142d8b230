package dev.ballast.core.spi;

import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;

/**
 * A model provider: the only way Ballast talks to an LLM. Adapters translate the normalized model
 * to one wire format and back; they do not retry, fail over or validate against schemas (the
 * resilience chain and the validator do). Calls are blocking and are meant to run on virtual
 * threads. Implementations are thread-safe.
 *
 * <p>Every method throws {@link ProviderException} with an {@link dev.ballast.core.ErrorClass} for
 * any failure, including timeouts, so the caller classifies in one place.
 */
public interface Provider extends AutoCloseable {

  /** The name this provider has in the configuration. */
  String name();

  /** The provider family, used as {@code gen_ai.provider.name}. */
  String system();

  ChatResponse chat(ChatRequest request, CallOptions options);

  /**
   * Streams an answer to {@code sink} and returns the aggregated final response (message, finish
   * reason, usage) once the stream has ended cleanly. A stream that fails after some deltas were
   * delivered throws; the caller decides what the client sees.
   */
  ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink);

  EmbeddingResponse embed(EmbeddingRequest request, CallOptions options);

  @Override
  default void close() {}
}
