package dev.ballast.core.config;

import java.net.URI;
import java.util.Map;

/**
 * {@code providers.NAME}: where a provider lives and how to authenticate.
 *
 * @param baseUrl null for the type's default (and for the in-process simulator)
 * @param apiKey null when the provider needs none
 * @param profiles simulator only: named fault profiles, name to spec
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    URI baseUrl,
    Secret apiKey,
    Map<String, String> headers,
    Map<String, String> profiles) {
  public ProviderConfig {
    headers = Map.copyOf(headers);
    profiles = Map.copyOf(profiles);
  }
}
