package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code http_action}: sends a webhook with the effect's key as {@code Idempotency-Key}.
 *
 * @param url a template rendered against the run
 * @param headers header names to value templates, in the order written
 * @param body a template rendered against the run; null for the default body (the run's input and
 *     stage outputs)
 */
public record HttpActionSpec(
    String url, HttpMethod method, Map<String, String> headers, JsonNode body)
    implements StageSpec {
  public static final String TYPE = "http_action";

  public HttpActionSpec {
    Objects.requireNonNull(url, "url is required");
    Objects.requireNonNull(method, "method");
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    body = Params.copy(body);
  }

  static HttpActionSpec fromParams(ObjectNode p) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (p.path("headers").isObject()) {
      p.get("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    }
    return new HttpActionSpec(
        Params.required(p, "url"),
        HttpMethod.fromWire(p.path("method").asText("POST")),
        headers,
        Params.json(p, "body"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ObjectNode params() {
    ObjectNode p = Params.empty();
    p.put("url", url);
    p.put("method", method.name());
    if (!headers.isEmpty()) {
      ObjectNode h = p.putObject("headers");
      headers.forEach(h::put);
    }
    Params.put(p, "body", body);
    return p;
  }

  /** {@code http:HOST:PORT} of the URL, so that runs park while the receiver is down. */
  @Override
  public String defaultDependency() {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (uri.getHost() == null) {
      return null;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    return "http:" + uri.getHost() + ":" + port;
  }

  @Override
  public boolean effectful() {
    return true;
  }
}
