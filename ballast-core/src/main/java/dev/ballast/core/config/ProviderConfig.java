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
 * @param apiVersion {@code azure_openai} only (required there): the {@code api-version} query
 * @param aws {@code bedrock} only (required there): the identity requests are signed with
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    URI baseUrl,
    Secret apiKey,
    Map<String, String> headers,
    Map<String, String> profiles,
    long maxResponseBytes,
    String apiVersion,
    Aws aws) {

  /**
   * {@code providers.NAME.aws}: the SigV4 identity of a Bedrock provider. Each value may be a
   * {@code ${ENV}} reference, as every secret in the configuration may.
   *
   * @param sessionToken null for long-term credentials
   */
  public record Aws(
      String region, Secret accessKeyId, Secret secretAccessKey, Secret sessionToken) {}

  /** 64 MiB: far above any chat answer or embedding batch, far below what hurts a node's heap. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  /** A provider that needs no API version and no AWS identity. */
  public ProviderConfig(
      String name,
      ProviderType type,
      URI baseUrl,
      Secret apiKey,
      Map<String, String> headers,
      Map<String, String> profiles,
      long maxResponseBytes) {
    this(name, type, baseUrl, apiKey, headers, profiles, maxResponseBytes, null, null);
  }

  public ProviderConfig {
    headers = Map.copyOf(headers);
    profiles = Map.copyOf(profiles);
  }
}
