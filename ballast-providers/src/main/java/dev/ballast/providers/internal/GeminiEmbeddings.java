package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini {@code :batchEmbedContents}, used for one input as for many: one request per input, the
 * vectors in request order. Gemini reports no token usage for embeddings.
 */
final class GeminiEmbeddings implements EmbeddingsCodec {
  @Override
  public String path(String upstreamModel) {
    return "/v1beta/models/" + GeminiFormat.modelSegment(upstreamModel) + ":batchEmbedContents";
  }

  @Override
  public JsonNode encode(EmbeddingRequest request, String upstreamModel) {
    ObjectNode body = Nodes.object();
    ArrayNode requests = body.putArray("requests");
    for (String text : request.input()) {
      ObjectNode item = requests.addObject().put("model", "models/" + upstreamModel);
      item.putObject("content").putArray("parts").addObject().put("text", text);
      Nodes.putIfPresent(item, "outputDimensionality", request.dimensions());
    }
    return body;
  }

  @Override
  public EmbeddingResponse decode(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    JsonNode embeddings = root == null ? null : root.get("embeddings");
    if (embeddings == null || !embeddings.isArray()) {
      throw Answers.violation("batchEmbedContents response has no embeddings array", body);
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode item : embeddings) {
      vectors.add(Vectors.floats(item.get("values"), body));
    }
    return new EmbeddingResponse(null, vectors, null, body);
  }
}
