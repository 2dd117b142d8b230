package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Anthropic Messages. Anthropic has no embeddings API, so {@link #embeddings()} is empty. */
final class AnthropicFormat implements WireFormat {
  static final String API_VERSION = "2023-06-01";

  @Override
  public String system() {
    return "anthropic";
  }

  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    return "/v1/messages";
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.empty();
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    Map<String, String> headers = new HashMap<>();
    headers.put("anthropic-version", API_VERSION);
    if (apiKey != null) {
      headers.put("x-api-key", apiKey);
    }
    return headers;
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return AnthropicRequestEncoder.chat(request, upstreamModel, stream);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return AnthropicResponseDecoder.chat(body);
  }

  @Override
  public EventReader openStream(InputStream body) {
    return new SseReader(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return new AnthropicStreamDecoder(state, errors);
  }
}
