package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Google's native Gemini API: {@code POST /v1beta/models/MODEL:generateContent} and {@code
 * :streamGenerateContent?alt=sse}, the key in {@code x-goog-api-key}. The model is in the path, not
 * the body.
 */
final class GeminiFormat implements WireFormat {
  @Override
  public String system() {
    return "gcp.gemini";
  }

  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    String prefix = "/v1beta/models/" + modelSegment(upstreamModel);
    return stream ? prefix + ":streamGenerateContent?alt=sse" : prefix + ":generateContent";
  }

  /**
   * The model as one path segment. A colon would be read as the start of the method, and a
   * configured {@code models/NAME} would double the prefix, so both are taken care of.
   */
  static String modelSegment(String model) {
    String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.of(new GeminiEmbeddings());
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("x-goog-api-key", apiKey);
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return GeminiRequestEncoder.chat(request);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return GeminiResponseDecoder.chat(body);
  }

  @Override
  public EventReader openStream(InputStream body) {
    return new SseReader(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return new GeminiStreamDecoder(state, errors);
  }
}
