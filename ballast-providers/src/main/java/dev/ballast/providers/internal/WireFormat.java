package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * One provider wire format: paths, authentication, and the translation of the normalized model to
 * and from JSON. Formats are stateless and thread-safe; the HTTP exchange and its deadlines are the
 * {@link AdapterProvider}'s business.
 */
interface WireFormat {
  /** The value of {@link dev.ballast.core.spi.Provider#system()}. */
  String system();

  /**
   * The chat endpoint, relative to the base URL (starting with a slash, with its query string if
   * any). Formats that name the model or the streaming mode in the URL use the arguments.
   */
  String chatPath(String upstreamModel, boolean stream);

  /** The embeddings endpoint; empty when the provider has no embeddings API. */
  Optional<EmbeddingsCodec> embeddings();

  /** The {@code Accept} header of a plain or a streaming request. */
  default String accept(boolean stream) {
    return stream ? "text/event-stream, application/x-ndjson" : "application/json";
  }

  /** The headers that carry {@code apiKey} (null: none) and the API version, if any. */
  Map<String, String> protocolHeaders(String apiKey);

  JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream);

  /** Decodes a 2xx chat body; throws a FORMAT_VIOLATION ProviderException when it cannot. */
  ChatResponse decodeChat(String body);

  /**
   * Whether answers name the model that produced them. When they do not (Bedrock Converse), the
   * adapter reports the model it asked for.
   */
  default boolean namesModel() {
    return true;
  }

  EventReader openStream(InputStream body);

  /**
   * The headers to send for one request, given every other header and the exact body: a format that
   * signs its requests adds the signature here. Called once per request, on the caller's thread.
   */
  default Map<String, String> sign(URI uri, Map<String, String> headers, byte[] body) {
    return headers;
  }

  StreamDecoder streamDecoder(StreamState state, ErrorResponses errors);
}
