package dev.ballast.core.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Normalizes a provider's {@code base_url} to where its type mounts the API, so that the same
 * mistake (a {@code /v1} too many or too few, an endpoint pasted in whole) is fixed when the
 * configuration loads rather than answered by a 404 at request time. OpenAI-compatible servers and
 * the simulator are reached under {@code /v1} (an OpenAI URL with no path gets it; any other path
 * is kept, since proxies mount the API elsewhere); Anthropic, Ollama, Azure OpenAI, Gemini and
 * Bedrock at the server root (their adapters add {@code /openai}, {@code /v1beta} and so on). What
 * cannot be normalized is reported with the key's path.
 */
final class BaseUrls {
  private BaseUrls() {}

  /** The normalized URL, or null after reporting why it cannot be used. */
  static URI normalize(ConfigReader r, String path, ProviderType type, URI url) {
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      r.error(path, "must not have a query or fragment, but was \"" + url + "\"");
      return null;
    }
    String p = trim(url.getRawPath() == null ? "" : url.getRawPath());
    String normalized =
        switch (type) {
          case OPENAI -> {
            p = strip(p, "/chat/completions");
            yield p.isEmpty() ? "/v1" : p;
          }
          case SIMULATOR -> {
            p = strip(p, "/chat/completions");
            if (!p.isEmpty() && !p.equals("/v1")) {
              r.error(
                  path,
                  "the simulator serves its API under /v1 (e.g. http://HOST:PORT/v1), but the path"
                      + " was \""
                      + p
                      + "\"");
              yield null;
            }
            yield "/v1";
          }
          case ANTHROPIC -> strip(strip(p, "/messages"), "/v1");
          case OLLAMA -> {
            p = strip(strip(p, "/chat"), "/api");
            if (p.endsWith("/v1")) {
              r.error(
                  path,
                  "Ollama's native API is at the server root (e.g. http://HOST:11434); for its"
                      + " OpenAI-compatible API under /v1 use type: openai");
              yield null;
            }
            yield p;
          }
          // Azure mounts under {resource}/openai/deployments/..., Gemini under /v1beta/models/...
          // and Bedrock under /model/...: each adapter adds its own part to the server root.
          case AZURE_OPENAI -> strip(p, "/openai");
          case GEMINI -> strip(p, "/v1beta");
          case BEDROCK -> p;
          case LOCAL -> {
            r.error(path, "a local provider runs in-process and takes no base_url");
            yield null;
          }
        };
    if (normalized == null) {
      return null;
    }
    try {
      return new URI(url.getScheme(), url.getRawAuthority(), normalized, null, null);
    } catch (URISyntaxException e) {
      r.error(path, "not a valid URL: " + e.getReason());
      return null;
    }
  }

  private static String trim(String path) {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String strip(String path, String suffix) {
    return path.endsWith(suffix) ? path.substring(0, path.length() - suffix.length()) : path;
  }
}
