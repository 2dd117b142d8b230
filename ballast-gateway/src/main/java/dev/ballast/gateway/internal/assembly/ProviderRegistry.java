package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ProviderConfig;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import dev.ballast.simulator.Simulator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds one {@link Provider} per configured provider. A {@code simulator} provider without a base
 * URL runs in-process on the shared {@link Simulator}; with a base URL it is a standalone {@code
 * ballast simulate} reached over HTTP with the OpenAI wire format.
 */
final class ProviderRegistry implements AutoCloseable {
  private final Map<String, Provider> providers = new HashMap<>();

  /**
   * @param localModel loads the embedded embedding model for {@code local} providers, on first use
   */
  ProviderRegistry(BallastConfig config, Simulator simulator, Supplier<TextEmbedder> localModel) {
    for (ProviderConfig p : config.providers().values()) {
      providers.put(p.name(), create(p, simulator, localModel));
    }
  }

  Provider get(String name) {
    return providers.get(name);
  }

  private static Provider create(
      ProviderConfig p, Simulator simulator, Supplier<TextEmbedder> localModel) {
    String key = p.apiKey() == null ? null : p.apiKey().value();
    return switch (p.type()) {
      case SIMULATOR ->
          p.baseUrl() == null
              ? simulator.provider(p.name())
              : Providers.create(
                  new ProviderSettings(
                      p.name(), ProviderApi.OPENAI, p.baseUrl(), key, p.headers()));
      case OPENAI ->
          Providers.create(
              new ProviderSettings(p.name(), ProviderApi.OPENAI, p.baseUrl(), key, p.headers()));
      case ANTHROPIC ->
          Providers.create(
              new ProviderSettings(p.name(), ProviderApi.ANTHROPIC, p.baseUrl(), key, p.headers()));
      case OLLAMA ->
          Providers.create(
              new ProviderSettings(p.name(), ProviderApi.OLLAMA, p.baseUrl(), key, p.headers()));
      case LOCAL -> new LocalEmbeddingProvider(p.name(), localModel);
    };
  }

  @Override
  public void close() {
    providers.values().forEach(Provider::close);
  }
}
