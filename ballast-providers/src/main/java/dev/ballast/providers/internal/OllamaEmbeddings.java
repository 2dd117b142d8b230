package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;

/** Ollama {@code /api/embed}: an {@code input} array in, an {@code embeddings} array out. */
final class OllamaEmbeddings implements EmbeddingsCodec {
  @Override
  public String path(String upstreamModel) {
    return "/api/embed";
  }

  @Override
  public JsonNode encode(EmbeddingRequest request, String upstreamModel) {
    ObjectNode body = Nodes.object().put("model", upstreamModel);
    ArrayNode input = body.putArray("input");
    request.input().forEach(input::add);
    Nodes.putIfPresent(body, "dimensions", request.dimensions());
    return body;
  }

  @Override
  public EmbeddingResponse decode(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    JsonNode embeddings = root == null ? null : root.get("embeddings");
    if (embeddings == null || !embeddings.isArray()) {
      throw Answers.violation("embed response has no embeddings array", body);
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode embedding : embeddings) {
      vectors.add(Vectors.floats(embedding, body));
    }
    Usage usage =
        root.has("prompt_eval_count")
            ? new Usage(Nodes.integer(root, "prompt_eval_count"), 0, 0, 0, false)
            : null;
    return new EmbeddingResponse(Nodes.text(root, "model"), vectors, usage, body);
  }
}
