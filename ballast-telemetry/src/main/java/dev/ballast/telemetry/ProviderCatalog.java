package dev.ballast.telemetry;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal does not say about a provider: a {@code ProviderAttempt} names the provider as
 * configured ({@code openai-main}), while {@code gen_ai.provider.name} wants its family ({@code
 * openai}) and {@code server.address} its host. The gateway builds this from its configuration.
 * Immutable and thread-safe.
 */
public final class ProviderCatalog {
  private static final ProviderCatalog EMPTY = new ProviderCatalog(Map.of());

  private final Map<String, Endpoint> providers;

  private ProviderCatalog(Map<String, Endpoint> providers) {
    this.providers = Map.copyOf(providers);
  }

  /** A catalog that knows no provider: the configured name stands in for the family. */
  public static ProviderCatalog empty() {
    return EMPTY;
  }

  /**
   * @param providers by configured provider name
   */
  public static ProviderCatalog of(Map<String, Endpoint> providers) {
    return new ProviderCatalog(providers);
  }

  /** The {@code gen_ai.provider.name} of a configured provider; its own name when unknown. */
  public String system(String provider) {
    if (provider == null) {
      return "";
    }
    Endpoint endpoint = providers.get(provider);
    return endpoint == null ? provider : endpoint.system();
  }

  /** The base URL of a configured provider, when known. */
  public Optional<URI> baseUrl(String provider) {
    Endpoint endpoint = provider == null ? null : providers.get(provider);
    return endpoint == null ? Optional.empty() : Optional.ofNullable(endpoint.baseUrl());
  }

  /**
   * @param system the well-known {@code gen_ai.provider.name}: {@code openai}, {@code anthropic},
   *     {@code azure.ai.openai}..., or the family's own name ({@code ollama})
   * @param baseUrl where requests go, or null
   */
  public record Endpoint(String system, URI baseUrl) {
    public Endpoint {
      Objects.requireNonNull(system, "system");
    }
  }
}
