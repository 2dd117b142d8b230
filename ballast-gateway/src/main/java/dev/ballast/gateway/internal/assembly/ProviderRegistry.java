package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ProviderConfig;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.TextEmbedder;
import dev.ballast.providers.AwsCredentials;
import dev.ballast.providers.ProviderApi;
import dev.ballast.providers.ProviderSettings;
import dev.ballast.providers.Providers;
import dev.ballast.simulator.Simulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Builds one {@link Provider} per configured provider. A {@code simulator} provider without a base
 * URL runs in-process on the shared {@link Simulator}; with a base URL it is a standalone {@code
 * ballast simulate} reached over HTTP with the OpenAI wire format.
 */
final class ProviderRegistry implements AutoCloseable {
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, ProviderConfig> configs = new ConcurrentHashMap<>();
  // Providers a reload replaced: calls in flight may still use them, so they close with the node.
  private final List<Provider> retired = new CopyOnWriteArrayList<>();
  private final Simulator simulator;
  private final Supplier<TextEmbedder> localModel;

  /**
   * @param localModel loads the embedded embedding model for {@code local} providers, on first use
   */
  ProviderRegistry(BallastConfig config, Simulator simulator, Supplier<TextEmbedder> localModel) {
    this.simulator = simulator;
    this.localModel = localModel;
    reconfigure(config);
  }

  /**
   * Takes over a reloaded configuration's providers: an unchanged provider is kept (with its
   * connections), a new or changed one is created; a replaced one stays open for the calls still
   * using it.
   */
  synchronized void reconfigure(BallastConfig config) {
    for (ProviderConfig p : config.providers().values()) {
      if (!p.equals(configs.get(p.name()))) {
        Provider before = providers.put(p.name(), create(p, simulator, localModel));
        configs.put(p.name(), p);
        if (before != null) {
          retired.add(before);
        }
      }
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
              : Providers.create(settings(p, ProviderApi.OPENAI, key));
      case OPENAI -> Providers.create(settings(p, ProviderApi.OPENAI, key));
      case ANTHROPIC -> Providers.create(settings(p, ProviderApi.ANTHROPIC, key));
      case OLLAMA -> Providers.create(settings(p, ProviderApi.OLLAMA, key));
      case AZURE_OPENAI -> Providers.create(settings(p, ProviderApi.AZURE_OPENAI, key));
      case GEMINI -> Providers.create(settings(p, ProviderApi.GEMINI, key));
      case BEDROCK -> Providers.create(settings(p, ProviderApi.BEDROCK, key));
      case LOCAL -> new LocalEmbeddingProvider(p.name(), localModel);
    };
  }

  private static ProviderSettings settings(ProviderConfig p, ProviderApi type, String key) {
    return new ProviderSettings(
        p.name(),
        type,
        p.baseUrl(),
        key,
        p.headers(),
        p.maxResponseBytes(),
        p.apiVersion(),
        aws(p.aws()));
  }

  private static AwsCredentials aws(ProviderConfig.Aws aws) {
    return aws == null
        ? null
        : new AwsCredentials(
            aws.region(),
            aws.accessKeyId().value(),
            aws.secretAccessKey().value(),
            aws.sessionToken() == null ? null : aws.sessionToken().value());
  }

  @Override
  public void close() {
    providers.values().forEach(Provider::close);
    retired.forEach(Provider::close);
  }
}
