package dev.ballast.telemetry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How spans and metrics derived from the journal leave the process. Immutable; validated when
 * constructed, each error naming the configuration key it came from ({@code telemetry.*}).
 *
 * @param otlpEndpoint the OTLP/HTTP (protobuf) traces endpoint, e.g. {@code
 *     http://collector:4318/v1/traces}; a base URL without {@code /v1/traces} gets it appended, as
 *     {@code OTEL_EXPORTER_OTLP_ENDPOINT} does. Null: spans are not exported (default).
 * @param headers sent with every export, e.g. an {@code Authorization} header for a hosted backend
 * @param timeout the longest one export request may take (default 10 s)
 * @param captureContent put request, response and stage content on spans (default false). Content
 *     is available only for runs this node executed, and only as far as the tenant's capture policy
 *     let it into the journal.
 * @param serviceName the {@code service.name} resource attribute (default {@code ballast})
 * @param maxBufferedRuns unfinished runs held in memory at once; beyond it the oldest are dropped
 *     and counted (default 10,000)
 * @param bufferTtl how long an unfinished run is held at most (default 15 minutes, longer than any
 *     model call may last); a run still unfinished then is expired and counted
 */
public record TelemetryConfig(
    URI otlpEndpoint,
    Map<String, String> headers,
    Duration timeout,
    boolean captureContent,
    String serviceName,
    int maxBufferedRuns,
    Duration bufferTtl) {

  public static final Duration DEFAULT_BUFFER_TTL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final String DEFAULT_SERVICE_NAME = "ballast";
  public static final int DEFAULT_MAX_BUFFERED_RUNS = 10_000;
  private static final String TRACES_PATH = "/v1/traces";

  public TelemetryConfig {
    otlpEndpoint = otlpEndpoint == null ? null : tracesEndpoint(otlpEndpoint);
    headers = Map.copyOf(headers == null ? Map.of() : headers);
    headers.forEach(TelemetryConfig::checkHeader);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("telemetry.timeout must be positive, but was " + timeout);
    }
    serviceName = serviceName == null ? DEFAULT_SERVICE_NAME : serviceName.strip();
    if (serviceName.isEmpty()) {
      throw new IllegalArgumentException("telemetry.service_name must not be blank");
    }
    if (maxBufferedRuns < 1 || maxBufferedRuns > 1_000_000) {
      throw new IllegalArgumentException(
          "telemetry.max_buffered_runs must be between 1 and 1000000, but was " + maxBufferedRuns);
    }
    bufferTtl = bufferTtl == null ? DEFAULT_BUFFER_TTL : bufferTtl;
    if (bufferTtl.isZero() || bufferTtl.isNegative()) {
      throw new IllegalArgumentException(
          "telemetry.buffer_ttl must be positive, but was " + bufferTtl);
    }
  }

  /**
   * No export, no content: what {@code ballast serve} runs with when {@code telemetry} is absent.
   */
  public static TelemetryConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when spans are exported. */
  public boolean exportsSpans() {
    return otlpEndpoint != null;
  }

  private static URI tracesEndpoint(URI endpoint) {
    String scheme = endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "telemetry.otlp_endpoint must be an absolute http or https URL, but was " + endpoint);
    }
    String path = endpoint.getPath() == null ? "" : endpoint.getPath();
    if (path.endsWith(TRACES_PATH)) {
      return endpoint;
    }
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    try {
      return new URI(
          scheme,
          endpoint.getUserInfo(),
          endpoint.getHost(),
          endpoint.getPort(),
          base + TRACES_PATH,
          endpoint.getQuery(),
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("telemetry.otlp_endpoint is not usable: " + endpoint, e);
    }
  }

  private static void checkHeader(String name, String value) {
    if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
      throw new IllegalArgumentException(
          "telemetry.headers: \"" + name + "\" is not a valid HTTP header name");
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new IllegalArgumentException(
          "telemetry.headers." + name + " must not contain a line break");
    }
  }

  /** Collects settings; {@link #build} validates them. Not thread-safe. */
  public static final class Builder {
    private URI otlpEndpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean captureContent;
    private String serviceName = DEFAULT_SERVICE_NAME;
    private int maxBufferedRuns = DEFAULT_MAX_BUFFERED_RUNS;
    private Duration bufferTtl = DEFAULT_BUFFER_TTL;

    private Builder() {}

    /**
     * @throws IllegalArgumentException when {@code endpoint} is not a URI
     */
    public Builder otlpEndpoint(String endpoint) {
      try {
        return otlpEndpoint(endpoint == null ? null : new URI(endpoint.strip()));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "telemetry.otlp_endpoint is not a URL: \"" + endpoint + "\"", e);
      }
    }

    public Builder otlpEndpoint(URI endpoint) {
      this.otlpEndpoint = endpoint;
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    public Builder maxBufferedRuns(int maxBufferedRuns) {
      this.maxBufferedRuns = maxBufferedRuns;
      return this;
    }

    public Builder bufferTtl(Duration bufferTtl) {
      this.bufferTtl = bufferTtl;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public TelemetryConfig build() {
      return new TelemetryConfig(
          otlpEndpoint, headers, timeout, captureContent, serviceName, maxBufferedRuns, bufferTtl);
    }
  }
}
