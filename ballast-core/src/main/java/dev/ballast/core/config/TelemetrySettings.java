package dev.ballast.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code telemetry}: how spans and metrics derived from the journal leave the process. Core only
 * holds the validated settings; the server maps them onto the telemetry module's own configuration,
 * so core depends on no telemetry library.
 *
 * @param otlpEndpoint the OTLP/HTTP (protobuf) endpoint spans are exported to, a base URL such as
 *     {@code http://collector:4318} or the full {@code .../v1/traces}; null (the default): spans
 *     are not exported, metrics are still served
 * @param headers sent with every export, e.g. {@code Authorization}; values are secrets
 * @param captureContent put prompts, answers and stage outputs on spans (default false)
 * @param serviceName the {@code service.name} resource attribute (default {@code ballast})
 * @param timeout the longest one export request may take (default 10 s)
 * @param maxBufferedRuns unfinished runs held in memory for tracing (default 10,000)
 * @param bufferTtl how long an unfinished run is held for tracing at most (default 15 minutes,
 *     longer than any model call may last); then it is expired and counted
 */
public record TelemetrySettings(
    URI otlpEndpoint,
    Map<String, Secret> headers,
    boolean captureContent,
    String serviceName,
    Duration timeout,
    int maxBufferedRuns,
    Duration bufferTtl) {

  public static final Duration DEFAULT_BUFFER_TTL = Duration.ofMinutes(15);

  public static final TelemetrySettings DEFAULT =
      new TelemetrySettings(null, Map.of(), false, "ballast", Duration.ofSeconds(10), 10_000);

  public TelemetrySettings {
    headers = Map.copyOf(headers);
    bufferTtl = bufferTtl == null ? DEFAULT_BUFFER_TTL : bufferTtl;
  }

  /** Settings with the default {@link #bufferTtl()}. */
  public TelemetrySettings(
      URI otlpEndpoint,
      Map<String, Secret> headers,
      boolean captureContent,
      String serviceName,
      Duration timeout,
      int maxBufferedRuns) {
    this(
        otlpEndpoint,
        headers,
        captureContent,
        serviceName,
        timeout,
        maxBufferedRuns,
        DEFAULT_BUFFER_TTL);
  }

  /** True when spans are exported. */
  public boolean exportsSpans() {
    return otlpEndpoint != null;
  }
}
