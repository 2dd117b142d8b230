package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.HttpActionSpec;
import dev.ballast.core.pipeline.HttpMethod;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads an {@code http_action} stage: an http(s) URL, a method, headers and a body template. */
final class HttpActionSpecReader {
  static final Set<String> KEYS = Set.of("url", "method", "headers", "body");

  private HttpActionSpecReader() {}

  /** The spec, or null when a problem was reported. */
  static HttpActionSpec read(StageInput in) {
    ConfigReader r = in.r();
    JsonNode node = in.node();
    String url = url(in);
    HttpMethod method = null;
    String methodName = r.string(node, in.path(), "method", "POST", false);
    try {
      method = HttpMethod.fromWire(methodName);
    } catch (IllegalArgumentException e) {
      r.error(in.at("method"), e.getMessage());
    }
    Map<String, String> headers = headers(in);
    JsonNode body = node.get("body");
    if (body != null) {
      in.checkRefs(in.at("body"), body.toString());
    }
    return url == null || method == null || headers == null
        ? null
        : new HttpActionSpec(url, method, headers, body == null || body.isNull() ? null : body);
  }

  private static String url(StageInput in) {
    String url = in.r().required(in.node(), in.path(), "url");
    if (url == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      in.r().error(in.at("url"), "not a valid URL: " + e.getMessage());
      return null;
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      in.r().error(in.at("url"), "expected an http:// or https:// URL, but was \"" + url + "\"");
      return null;
    }
    return url;
  }

  /** The headers, or null when one is not a string or sets what Ballast sets. */
  private static Map<String, String> headers(StageInput in) {
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode node = in.node().get("headers");
    if (node == null || node.isNull()) {
      return headers;
    }
    if (!node.isObject()) {
      in.r().error(in.at("headers"), "expected a mapping of header names to values");
      return null;
    }
    boolean ok = true;
    for (Map.Entry<String, JsonNode> h : node.properties()) {
      String at = in.at("headers." + h.getKey());
      if (!h.getValue().isValueNode()) {
        in.r().error(at, "expected a string value");
        ok = false;
      } else if (h.getKey().equalsIgnoreCase("idempotency-key")) {
        in.r().error(at, "is set by Ballast to the effect's key; remove it");
        ok = false;
      } else {
        headers.put(h.getKey(), h.getValue().asText());
      }
    }
    return ok ? headers : null;
  }
}
