package dev.ballast.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;

/** The embeddings endpoint of a wire format that has one. */
interface EmbeddingsCodec {
  /** The endpoint, relative to the base URL; formats that name the model in the URL use it. */
  String path(String upstreamModel);

  JsonNode encode(EmbeddingRequest request, String upstreamModel);

  /** Decodes a 2xx body; throws a FORMAT_VIOLATION ProviderException when it cannot. */
  EmbeddingResponse decode(String body);
}
