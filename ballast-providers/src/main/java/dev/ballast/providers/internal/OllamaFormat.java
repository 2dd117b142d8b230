package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Ollama's native API. A key is optional; when set it is sent as a bearer token, which is what the
 * proxies people put in front of Ollama expect.
 */
final class OllamaFormat implements WireFormat {
  @Override
  public String system() {
    return "ollama";
  }

  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    return "/api/chat";
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.of(new OllamaEmbeddings());
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return OllamaRequests.chat(request, upstreamModel, stream);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return OllamaResponses.chat(body);
  }

  @Override
  public EventReader openStream(InputStream body) {
    return new NdjsonReader(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return new OllamaStreamDecoder(state, errors);
  }
}
