package dev.ballast.core.config;

import java.net.URI;
import java.util.Map;

/**
 * {@code providers.NAME}: where a provider lives and how to authenticate.
 *
 * @param baseUrl null for the type's default (and for the in-process simulator)
 * @param apiKey null when the provider needs none
 * @param profiles simulator only: named fault profiles, name to spec
 * @param maxResponseBytes the largest response (a stream: all its events) taken from this provider
 *     before the attempt fails as {@code upstream_response_too_large}
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    URI baseUrl,
    Secret apiKey,
    Map<String, String> headers,
    Map<String, String> profiles,
    long maxResponseBytes) {
  /** 64 MiB: far above any chat answer or embedding batch, far below what hurts a node's heap. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  public ProviderConfig {
    headers = Map.copyOf(headers);
    profiles = Map.copyOf(profiles);
  }
}
