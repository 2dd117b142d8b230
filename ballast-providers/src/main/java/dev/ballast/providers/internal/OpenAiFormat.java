package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** OpenAI Chat Completions and Embeddings, spoken by OpenAI and every compatible server. */
final class OpenAiFormat implements WireFormat {
  @Override
  public String system() {
    return "openai";
  }

  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    return "/chat/completions";
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.of(new OpenAiEmbeddings());
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return OpenAiRequestEncoder.chat(request, upstreamModel, stream);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return OpenAiResponseDecoder.chat(body);
  }

  @Override
  public EventReader openStream(InputStream body) {
    return new SseReader(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return new OpenAiStreamDecoder(state, errors);
  }
}
