package dev.ballast.providers;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach one provider. Immutable; validated on construction.
 *
 * @param name the provider's name in the configuration
 * @param type the wire format
 * @param baseUrl where the API is mounted; null means {@link ProviderApi#defaultBaseUrl()} (for
 *     {@link ProviderApi#BEDROCK}: the region's {@code bedrock-runtime} endpoint; {@link
 *     ProviderApi#AZURE_OPENAI} requires one). For {@link ProviderApi#OPENAI} it includes the
 *     version path ({@code https://host/v1}); for the others it is the server root
 * @param apiKey the secret sent as {@code Authorization: Bearer} (OpenAI, Ollama), {@code
 *     x-api-key} (Anthropic), {@code api-key} (Azure) or {@code x-goog-api-key} (Gemini); null
 *     sends none; Bedrock ignores it. It never appears in {@link #toString()}, logs or exception
 *     messages
 * @param headers extra request headers sent on every call (e.g. {@code OpenAI-Organization}); they
 *     may override the defaults but not hop-by-hop headers the HTTP client owns
 * @param maxResponseBytes the largest response body (for a stream: all its events together)
 *     accepted before the attempt fails with {@code upstream_response_too_large}; default {@value
 *     #DEFAULT_MAX_RESPONSE_BYTES}
 * @param apiVersion Azure OpenAI's {@code api-version} query parameter; required for {@link
 *     ProviderApi#AZURE_OPENAI}, null for the others
 * @param aws the identity Bedrock requests are signed with; required for {@link
 *     ProviderApi#BEDROCK}, null for the others
 */
public record ProviderSettings(
    String name,
    ProviderApi type,
    URI baseUrl,
    String apiKey,
    Map<String, String> headers,
    long maxResponseBytes,
    String apiVersion,
    AwsCredentials aws) {

  /** 64 MiB: far above any chat answer or embedding batch, far below what hurts a node's heap. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

  // The JDK client refuses these; rejecting them here reports the mistake at configuration time.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  public ProviderSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but was \"" + name + "\"");
    }
    Objects.requireNonNull(type, "type");
    checkTypeOptions(name, type, apiVersion, aws);
    baseUrl = baseUrl == null ? defaultBaseUrl(name, type, aws) : stripTrailingSlash(baseUrl);
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          name + ".baseUrl must be an http or https URL, but was " + baseUrl);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException(
          name + ".maxResponseBytes must be at least 1024, but was " + maxResponseBytes);
    }
    for (String header : headers.keySet()) {
      if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            name + ".headers: \"" + header + "\" is managed by the HTTP client and cannot be set");
      }
    }
  }

  /** Settings of a type that needs no API version and no AWS identity. */
  public ProviderSettings(
      String name,
      ProviderApi type,
      URI baseUrl,
      String apiKey,
      Map<String, String> headers,
      long maxResponseBytes) {
    this(name, type, baseUrl, apiKey, headers, maxResponseBytes, null, null);
  }

  /** Settings with the default response cap. */
  public ProviderSettings(
      String name, ProviderApi type, URI baseUrl, String apiKey, Map<String, String> headers) {
    this(name, type, baseUrl, apiKey, headers, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** Azure OpenAI settings: the resource's URL, its key and the API version to ask for. */
  public static ProviderSettings azureOpenAi(
      String name, URI baseUrl, String apiKey, String apiVersion) {
    return new ProviderSettings(
        name,
        ProviderApi.AZURE_OPENAI,
        baseUrl,
        apiKey,
        Map.of(),
        DEFAULT_MAX_RESPONSE_BYTES,
        apiVersion,
        null);
  }

  /** Bedrock settings; a null base URL means the region's public endpoint. */
  public static ProviderSettings bedrock(String name, URI baseUrl, AwsCredentials aws) {
    return new ProviderSettings(
        name, ProviderApi.BEDROCK, baseUrl, null, Map.of(), DEFAULT_MAX_RESPONSE_BYTES, null, aws);
  }

  private static void checkTypeOptions(
      String name, ProviderApi type, String apiVersion, AwsCredentials aws) {
    boolean azure = type == ProviderApi.AZURE_OPENAI;
    if (azure && (apiVersion == null || apiVersion.isBlank())) {
      throw new IllegalArgumentException(name + ".apiVersion is required for azure_openai");
    }
    if (!azure && apiVersion != null) {
      throw new IllegalArgumentException(name + ".apiVersion applies to azure_openai only");
    }
    boolean bedrock = type == ProviderApi.BEDROCK;
    if (bedrock && aws == null) {
      throw new IllegalArgumentException(name + ".aws credentials are required for bedrock");
    }
    if (!bedrock && aws != null) {
      throw new IllegalArgumentException(name + ".aws credentials apply to bedrock only");
    }
  }

  private static URI defaultBaseUrl(String name, ProviderApi type, AwsCredentials aws) {
    return switch (type) {
      case BEDROCK -> URI.create("https://bedrock-runtime." + aws.region() + ".amazonaws.com");
      case AZURE_OPENAI ->
          throw new IllegalArgumentException(
              name + ".baseUrl is required for azure_openai (https://RESOURCE.openai.azure.com)");
      default -> type.defaultBaseUrl();
    };
  }

  /** Settings with the type's default base URL, no key and no extra headers. */
  public static ProviderSettings of(String name, ProviderApi type) {
    return new ProviderSettings(name, type, null, null, Map.of());
  }

  public ProviderSettings withMaxResponseBytes(long newMax) {
    return new ProviderSettings(name, type, baseUrl, apiKey, headers, newMax, apiVersion, aws);
  }

  public ProviderSettings withBaseUrl(URI newBaseUrl) {
    return new ProviderSettings(
        name, type, newBaseUrl, apiKey, headers, maxResponseBytes, apiVersion, aws);
  }

  public ProviderSettings withApiKey(String newApiKey) {
    return new ProviderSettings(
        name, type, baseUrl, newApiKey, headers, maxResponseBytes, apiVersion, aws);
  }

  public ProviderSettings withHeaders(Map<String, String> newHeaders) {
    return new ProviderSettings(
        name, type, baseUrl, apiKey, newHeaders, maxResponseBytes, apiVersion, aws);
  }

  private static URI stripTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  /** Masks the API key and the header values, which often carry secrets too. */
  @Override
  public String toString() {
    return "ProviderSettings[name="
        + name
        + ", type="
        + type
        + ", baseUrl="
        + baseUrl
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", headers="
        + headers.keySet()
        + (apiVersion == null ? "" : ", apiVersion=" + apiVersion)
        + (aws == null ? "" : ", aws=" + aws)
        + "]";
  }
}
