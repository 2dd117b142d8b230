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
 * Azure OpenAI: the OpenAI Chat Completions and Embeddings bodies, sent to {@code
 * /openai/deployments/DEPLOYMENT/...?api-version=V} with the key in an {@code api-key} header. The
 * deployment is the deployment's upstream model name. Azure's content-filter refusals arrive as 400
 * with {@code code: content_filter}, which the shared error parser and the failure table already
 * classify as a content-policy failure.
 */
final class AzureOpenAiFormat implements WireFormat {
  private final OpenAiFormat openAi = new OpenAiFormat();
  private final String apiVersion;

  AzureOpenAiFormat(String apiVersion) {
    this.apiVersion = URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
  }

  @Override
  public String system() {
    return "azure.ai.openai";
  }

  @Override
  public String chatPath(String upstreamModel, boolean stream) {
    return path(upstreamModel, "chat/completions");
  }

  @Override
  public Optional<EmbeddingsCodec> embeddings() {
    return Optional.of(new OpenAiEmbeddings(model -> path(model, "embeddings")));
  }

  private String path(String deployment, String operation) {
    return "/openai/deployments/"
        + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20")
        + "/"
        + operation
        + "?api-version="
        + apiVersion;
  }

  @Override
  public Map<String, String> protocolHeaders(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("api-key", apiKey);
  }

  @Override
  public JsonNode encodeChat(ChatRequest request, String upstreamModel, boolean stream) {
    return openAi.encodeChat(request, upstreamModel, stream);
  }

  @Override
  public ChatResponse decodeChat(String body) {
    return openAi.decodeChat(body);
  }

  @Override
  public EventReader openStream(InputStream body) {
    return openAi.openStream(body);
  }

  @Override
  public StreamDecoder streamDecoder(StreamState state, ErrorResponses errors) {
    return openAi.streamDecoder(state, errors);
  }
}
