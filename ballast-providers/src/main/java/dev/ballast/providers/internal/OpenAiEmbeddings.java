package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** OpenAI {@code /embeddings}: {@code data[].embedding} with {@code usage.prompt_tokens}. */
final class OpenAiEmbeddings implements EmbeddingsCodec {
  private final UnaryOperator<String> pathForModel;

  /** OpenAI's own path, {@code /embeddings} below the base URL. */
  OpenAiEmbeddings() {
    this(model -> "/embeddings");
  }

  /** The same body on another path, for servers that put the model in the URL (Azure). */
  OpenAiEmbeddings(UnaryOperator<String> pathForModel) {
    this.pathForModel = pathForModel;
  }

  @Override
  public String path(String upstreamModel) {
    return pathForModel.apply(upstreamModel);
  }

  @Override
  public JsonNode encode(EmbeddingRequest request, String upstreamModel) {
    ObjectNode body = Nodes.object().put("model", upstreamModel);
    ArrayNode input = body.putArray("input");
    request.input().forEach(input::add);
    Nodes.putIfPresent(body, "dimensions", request.dimensions());
    body.put("encoding_format", "float");
    return body;
  }

  @Override
  public EmbeddingResponse decode(String body) {
    JsonNode root = Nodes.parseOrNull(body);
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw Answers.violation("embeddings response has no data array", body);
    }
    List<JsonNode> items = new ArrayList<>();
    data.forEach(items::add);
    // Servers are allowed to return items out of order; "index" says where each belongs.
    items.sort((a, b) -> Integer.compare(a.path("index").asInt(), b.path("index").asInt()));
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode item : items) {
      vectors.add(Vectors.floats(item.get("embedding"), body));
    }
    JsonNode usage = root.path("usage");
    Usage tokens =
        usage.isObject() ? new Usage(Nodes.integer(usage, "prompt_tokens"), 0, 0, 0, false) : null;
    return new EmbeddingResponse(Nodes.text(root, "model"), vectors, tokens, body);
  }
}
