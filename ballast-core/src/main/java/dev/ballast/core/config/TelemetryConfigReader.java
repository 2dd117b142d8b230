package dev.ballast.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code telemetry}. The checks are the ones the telemetry module makes when it starts, done
 * here with paths so that {@code ballast config check} finds a bad endpoint or header before the
 * server does.
 */
final class TelemetryConfigReader {
  private static final String PATH = "telemetry";
  private static final Set<String> KEYS =
      Set.of(
          "otlp_endpoint",
          "headers",
          "capture_content",
          "service_name",
          "timeout",
          "max_buffered_runs",
          "buffer_ttl");

  private TelemetryConfigReader() {}

  static TelemetrySettings read(ConfigReader r, JsonNode node) {
    if (!r.object(node, PATH, KEYS)) {
      return TelemetrySettings.DEFAULT;
    }
    TelemetrySettings d = TelemetrySettings.DEFAULT;
    String serviceName = r.string(node, PATH, "service_name", d.serviceName(), false).strip();
    if (serviceName.isEmpty()) {
      r.error(PATH + ".service_name", "must not be empty");
      serviceName = d.serviceName();
    }
    return new TelemetrySettings(
        endpoint(r, node),
        headers(r, node),
        r.bool(node, PATH, "capture_content", d.captureContent()),
        serviceName,
        r.duration(node, PATH, "timeout", d.timeout()),
        (int) r.integer(node, PATH, "max_buffered_runs", d.maxBufferedRuns(), 1, 1_000_000),
        bufferTtl(r, node));
  }

  private static Duration bufferTtl(ConfigReader r, JsonNode node) {
    Duration ttl = r.duration(node, PATH, "buffer_ttl", TelemetrySettings.DEFAULT_BUFFER_TTL);
    if (ttl.compareTo(Duration.ofHours(24)) > 0) {
      r.error(PATH + ".buffer_ttl", "must be at most 24h, but was " + ttl);
      return TelemetrySettings.DEFAULT_BUFFER_TTL;
    }
    return ttl;
  }

  /**
   * An empty value means no export, so that {@code "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"} switches
   * export on from the environment.
   */
  private static URI endpoint(ConfigReader r, JsonNode node) {
    String text = r.string(node, PATH, "otlp_endpoint", "", false).strip();
    if (text.isEmpty()) {
      return null;
    }
    String path = PATH + ".otlp_endpoint";
    String problem =
        "expected an http:// or https:// URL such as http://127.0.0.1:4318, but was \""
            + ConfigLoader.redactUrl(text)
            + "\"";
    try {
      URI uri = new URI(text);
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!http || uri.getHost() == null) {
        r.error(path, problem);
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      r.error(path, problem);
      return null;
    }
  }

  private static Map<String, Secret> headers(ConfigReader r, JsonNode node) {
    Map<String, Secret> headers = new LinkedHashMap<>();
    r.stringMap(node, PATH, "headers")
        .forEach(
            (name, value) -> {
              String path = PATH + ".headers." + name;
              if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                r.error(path, "not a valid HTTP header name");
              } else if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                // The value is a secret: say what is wrong with it, never what it is.
                r.error(path, "the value must not contain a line break");
              } else {
                headers.put(name, new Secret(value));
              }
            });
    return headers;
  }
}
