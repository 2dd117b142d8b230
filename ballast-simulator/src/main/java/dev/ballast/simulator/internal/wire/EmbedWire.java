package dev.ballast.simulator.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.EmbeddingRequest;
import java.util.List;

/** A wire format that also serves embeddings. */
public interface EmbedWire extends ChatWire {
  EmbeddingRequest parseEmbedding(JsonNode body);

  String embeddingResponse(String model, List<float[]> vectors, int inputTokens);
}
