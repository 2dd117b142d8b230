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
 * @param baseUrl where the API is mounted; null means {@link ProviderApi#defaultBaseUrl()}. For
 *     {@link ProviderApi#OPENAI} it includes the version path ({@code https://host/v1}); for the
 *     others it is the server root
 * @param apiKey the secret sent as {@code Authorization: Bearer} (OpenAI, Ollama) or {@code
 *     x-api-key} (Anthropic); null sends none. It never appears in {@link #toString()}, logs or
 *     exception messages
 * @param headers extra request headers sent on every call (e.g. {@code OpenAI-Organization}); they
 *     may override the defaults but not hop-by-hop headers the HTTP client owns
 */
public record ProviderSettings(
    String name, ProviderApi type, URI baseUrl, String apiKey, Map<String, String> headers) {

  // The JDK client refuses these; rejecting them here reports the mistake at configuration time.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  public ProviderSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but was \"" + name + "\"");
    }
    Objects.requireNonNull(type, "type");
    baseUrl = baseUrl == null ? type.defaultBaseUrl() : stripTrailingSlash(baseUrl);
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          name + ".baseUrl must be an http or https URL, but was " + baseUrl);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    for (String header : headers.keySet()) {
      if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            name + ".headers: \"" + header + "\" is managed by the HTTP client and cannot be set");
      }
    }
  }

  /** Settings with the type's default base URL, no key and no extra headers. */
  public static ProviderSettings of(String name, ProviderApi type) {
    return new ProviderSettings(name, type, null, null, Map.of());
  }

  public ProviderSettings withBaseUrl(URI newBaseUrl) {
    return new ProviderSettings(name, type, newBaseUrl, apiKey, headers);
  }

  public ProviderSettings withApiKey(String newApiKey) {
    return new ProviderSettings(name, type, baseUrl, newApiKey, headers);
  }

  public ProviderSettings withHeaders(Map<String, String> newHeaders) {
    return new ProviderSettings(name, type, baseUrl, apiKey, newHeaders);
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
        + "]";
  }
}
