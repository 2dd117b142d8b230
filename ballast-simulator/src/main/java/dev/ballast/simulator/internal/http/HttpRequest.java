package dev.ballast.simulator.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request.
 *
 * @param headers header values by lower-case name (the last value wins)
 */
public record HttpRequest(
    String method, String path, String query, Map<String, String> headers, byte[] body) {

  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** Whether the client wants the connection kept open after this exchange. */
  public boolean keepAlive(String version) {
    String connection = headers.getOrDefault("connection", "");
    return "HTTP/1.0".equals(version)
        ? connection.equalsIgnoreCase("keep-alive")
        : !connection.equalsIgnoreCase("close");
  }

  /** A query parameter's decoded value, or null. */
  public String queryParam(String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
