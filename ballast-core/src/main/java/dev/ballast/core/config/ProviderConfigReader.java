package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code providers.NAME}: the type, where it lives, its credentials and the settings only
 * some types take ({@code api_version} for Azure OpenAI, {@code aws} for Bedrock), reporting every
 * problem with its path and never echoing a secret.
 */
final class ProviderConfigReader {
  private ProviderConfigReader() {}

  static ProviderConfig provider(ConfigReader r, String name, JsonNode node) {
    String path = "providers." + name;
    if (!r.object(
        node,
        path,
        Set.of(
            "type",
            "base_url",
            "api_key",
            "api_version",
            "aws",
            "headers",
            "profiles",
            "max_response_bytes"))) {
      if (node == null || node.isNull()) {
        r.error(path, "is empty (expected at least a type)");
      }
      return null;
    }
    String typeName = r.required(node, path, "type");
    ProviderType type = null;
    if (typeName != null) {
      try {
        type = ProviderType.valueOf(typeName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        r.error(
            path + ".type",
            "unknown provider type \""
                + typeName
                + "\" (expected openai, azure_openai, anthropic, gemini, bedrock, ollama,"
                + " simulator or local)");
      }
    }
    URI baseUrl = null;
    String url = r.string(node, path, "base_url", null, false);
    if (url != null) {
      try {
        baseUrl = new URI(url);
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
          r.error(
              path + ".base_url", "expected an http:// or https:// URL, but was \"" + url + "\"");
        } else if (type != null) {
          baseUrl = BaseUrls.normalize(r, path + ".base_url", type, baseUrl);
        }
      } catch (URISyntaxException e) {
        r.error(path + ".base_url", "not a valid URL: " + e.getReason());
      }
    }
    String key = r.string(node, path, "api_key", null, true);
    Secret apiKey = key == null || key.isEmpty() ? null : new Secret(key);
    Map<String, String> headers = r.stringMap(node, path, "headers");
    Map<String, String> profiles = r.stringMap(node, path, "profiles");
    if (!profiles.isEmpty() && type != ProviderType.SIMULATOR) {
      r.error(path + ".profiles", "only a simulator provider has fault profiles");
    }
    long maxResponse =
        r.integer(
            node,
            path,
            "max_response_bytes",
            ProviderConfig.DEFAULT_MAX_RESPONSE_BYTES,
            1024,
            1L << 40);
    String apiVersion = azureApiVersion(r, node, path, type, baseUrl);
    ProviderConfig.Aws aws = aws(r, node, path, type);
    return type == null
        ? null
        : new ProviderConfig(
            name, type, baseUrl, apiKey, headers, profiles, maxResponse, apiVersion, aws);
  }

  /** Azure needs the resource's URL and an API version; no other type takes one. */
  private static String azureApiVersion(
      ConfigReader r, JsonNode node, String path, ProviderType type, URI baseUrl) {
    if (type != ProviderType.AZURE_OPENAI) {
      if (node.has("api_version")) {
        r.error(path + ".api_version", "only an azure_openai provider has an api_version");
      }
      return null;
    }
    if (baseUrl == null && !node.has("base_url")) {
      r.error(
          path + ".base_url", "is required for azure_openai (https://RESOURCE.openai.azure.com)");
    }
    String version = r.required(node, path, "api_version");
    if (version != null && !version.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?|v1|latest|preview")) {
      r.error(
          path + ".api_version",
          "expected a version such as 2024-10-21 or 2025-04-01-preview, but was \""
              + version
              + "\"");
      return null;
    }
    return version;
  }

  /** Bedrock signs with an AWS identity: region and key pair required, session token optional. */
  private static ProviderConfig.Aws aws(
      ConfigReader r, JsonNode node, String path, ProviderType type) {
    JsonNode aws = node.get("aws");
    String p = path + ".aws";
    if (type != ProviderType.BEDROCK) {
      if (aws != null) {
        r.error(p, "only a bedrock provider has aws credentials");
      }
      return null;
    }
    if (aws == null || aws.isNull()) {
      r.error(p, "is required for bedrock (region, access_key_id, secret_access_key)");
      return null;
    }
    if (!r.object(
        aws, p, Set.of("region", "access_key_id", "secret_access_key", "session_token"))) {
      return null;
    }
    String region = r.required(aws, p, "region");
    if (region != null && !region.matches("[a-z0-9-]+")) {
      r.error(p + ".region", "expected a region such as us-east-1, but was \"" + region + "\"");
      region = null;
    }
    Secret keyId = requiredSecret(r, aws, p, "access_key_id");
    Secret secret = requiredSecret(r, aws, p, "secret_access_key");
    String token = r.string(aws, p, "session_token", null, true);
    if (region == null || keyId == null || secret == null) {
      return null;
    }
    return new ProviderConfig.Aws(
        region, keyId, secret, token == null || token.isEmpty() ? null : new Secret(token));
  }

  private static Secret requiredSecret(ConfigReader r, JsonNode node, String path, String key) {
    String value = r.string(node, path, key, null, true);
    if (value == null || value.isBlank()) {
      r.error(path + "." + key, node.has(key) ? "must not be empty" : "is required");
      return null;
    }
    return new Secret(value);
  }
}
