package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.Usage;
import dev.ballast.core.normalize.TokenCounter;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.StreamSink;
import dev.ballast.core.spi.TextEmbedder;
import java.util.function.Supplier;

/**
 * A {@code local} provider: the embedded embedding model, run in-process and offline, behind the
 * same chain as every other deployment (routing, breaker, bulkhead, journal). It embeds; asked to
 * chat it answers {@code not_found}, which the failure table treats as a misrouted request rather
 * than an outage.
 *
 * <p>The model is loaded on first use, not at start: a node that never embeds locally does not pay
 * for loading it.
 */
final class LocalEmbeddingProvider implements Provider {
  private final String name;
  private final Supplier<TextEmbedder> model;
  private volatile TextEmbedder loaded;

  LocalEmbeddingProvider(String name, Supplier<TextEmbedder> model) {
    this.name = name;
    this.model = model;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String system() {
    return "ballast.local";
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    throw notAChatModel();
  }

  @Override
  public ChatResponse chatStream(ChatRequest request, CallOptions options, StreamSink sink) {
    throw notAChatModel();
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    TextEmbedder embedder = embedder();
    int tokens = 0;
    for (int i = 0; i < request.input().size(); i++) {
      String text = request.input().get(i);
      if (text == null || text.isBlank()) {
        // The model embeds only text with something in it; the request, not the model, is wrong.
        throw new ProviderException(
            ErrorClass.BAD_REQUEST,
            400,
            null,
            null,
            "input " + i + " is blank; the local embedding model embeds only non-blank text",
            null,
            null);
      }
      tokens += TokenCounter.count(text);
    }
    return new EmbeddingResponse(
        embedder.model(), embedder.embed(request.input()), new Usage(tokens, 0, 0, 0, true), null);
  }

  private TextEmbedder embedder() {
    TextEmbedder e = loaded;
    if (e == null) {
      synchronized (this) {
        if (loaded == null) {
          loaded = model.get();
        }
        e = loaded;
      }
    }
    return e;
  }

  private ProviderException notAChatModel() {
    return new ProviderException(
        ErrorClass.NOT_FOUND, "provider " + name + " is a local embedding model; it does not chat");
  }
}
