package dev.ballast.core.spi;

import java.util.List;

/**
 * Turns texts into vectors with one model. The embedded default runs a local model offline; a
 * provider deployment reached through the gateway's resilience chain is the alternative.
 * Implementations are thread-safe.
 */
public interface TextEmbedder {

  /** The model's name as collections record it, e.g. {@code local/all-minilm-l6-v2}. */
  String model();

  /** The length of every vector this embedder returns. */
  int dimension();

  /**
   * One vector per text, in order, each of length {@link #dimension()}.
   *
   * @throws dev.ballast.core.BallastException when the model cannot embed (a provider failure is a
   *     {@link dev.ballast.core.ProviderException})
   */
  List<float[]> embed(List<String> texts);
}
