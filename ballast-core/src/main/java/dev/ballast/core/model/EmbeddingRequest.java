package dev.ballast.core.model;

import java.util.List;

/** Texts to embed; {@code dimensions} is optional. */
public record EmbeddingRequest(String model, List<String> input, Integer dimensions) {
  public EmbeddingRequest {
    input = List.copyOf(input);
  }
}
