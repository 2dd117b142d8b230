package dev.ballast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A client of a Ballast gateway's pipeline API.
 *
 * <pre>{@code
 * try (BallastClient ballast =
 *     BallastClient.builder().baseUrl(URI.create("http://127.0.0.1:8080")).apiKey(key).build()) {
 *   PipelineRun run = ballast.submit("digest", Map.of("text", doc), SubmitOptions.idempotencyKey(id));
 *   PipelineRun done = ballast.awaitRun(run.id(), Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one instance may be shared by any number of threads, and should be, since it
 * holds a connection pool. Every method throws {@link BallastApiException} when the gateway answers
 * with an error status and {@link BallastTransportException} when it cannot be reached; both are
 * {@link BallastClientException}s.
 */
public final class BallastClient implements AutoCloseable {
  private final Http http;
  private final URI baseUrl;
  private final Duration initialPoll;
  private final Duration maxPoll;
  private final Clock clock;
  private final Sleeper sleeper;

  private BallastClient(Builder b) {
    this.baseUrl = b.baseUrl;
    this.http = new Http(b.baseUrl, b.apiKey, b.timeout);
    this.initialPoll = b.initialPoll;
    this.maxPoll = b.maxPoll;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The gateway's base URL, without {@code /v1}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Submits a run of {@code pipeline} with the pipeline's default priority and no idempotency key.
   *
   * @param input a {@link JsonNode}, or any object Jackson can turn into JSON (a map, a record)
   * @throws BallastApiException 404 {@code unknown_pipeline}, 400 for an input the gateway refuses
   */
  public PipelineRun submit(String pipeline, Object input) {
    return submit(pipeline, input, SubmitOptions.DEFAULT);
  }

  /**
   * Submits a run. With an idempotency key that already named a run, that run is returned with
   * {@link PipelineRun#replayed()} set and nothing new is started, so a submission that failed with
   * a {@link BallastTransportException} can be retried safely with the same key.
   *
   * @param input a {@link JsonNode}, or any object Jackson can turn into JSON (a map, a record)
   * @throws BallastApiException 404 {@code unknown_pipeline}, 400 for an input the gateway refuses,
   *     422 {@code idempotency_key_reused} when the key already named a run with another input
   */
  public PipelineRun submit(String pipeline, Object input, SubmitOptions options) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(options, "options");
    ObjectNode body = Wire.MAPPER.createObjectNode();
    body.set("input", input instanceof JsonNode node ? node : Wire.MAPPER.valueToTree(input));
    if (options.priority() != null) {
      body.put("priority", options.priority());
    }
    Http.Response response =
        http.send(
            "POST", "/v1/pipelines/" + segment(pipeline) + "/runs", body, options.idempotencyKey());
    boolean replayed =
        response
            .headers()
            .firstValue("x-ballast-idempotent-replayed")
            .map("true"::equalsIgnoreCase)
            .orElse(false);
    return run(response, replayed);
  }

  /**
   * Reads a run.
   *
   * @throws BallastApiException 404 {@code run_not_found} when the caller's tenant has no such run
   */
  public PipelineRun run(String id) {
    Objects.requireNonNull(id, "id");
    return run(http.send("GET", "/v1/pipelines/runs/" + segment(id), null, null), false);
  }

  /**
   * Runs matching the query, most recently submitted first. The gateway lists runs as summaries:
   * their stages, input and output are left out (empty and null here); {@link #run} reads them.
   */
  public List<PipelineRun> runs(RunQuery query) {
    StringBuilder path = new StringBuilder("/v1/pipelines/runs?limit=").append(query.limit());
    if (query.pipeline() != null) {
      path.append("&pipeline=").append(URLEncoder.encode(query.pipeline(), StandardCharsets.UTF_8));
    }
    if (!query.states().isEmpty()) {
      // Sorted, so that the same query always makes the same URL.
      path.append("&state=")
          .append(
              String.join(
                  ",", query.states().stream().sorted().map(PipelineRun.State::wireName).toList()));
    }
    Http.Response response = http.send("GET", path.toString(), null, null);
    List<PipelineRun> runs = new ArrayList<>();
    for (JsonNode item : list(response, "runs")) {
      runs.add(Wire.run(item, false));
    }
    return runs;
  }

  /**
   * Resumes a dead run at the stage that failed, with a fresh attempt count.
   *
   * @throws BallastApiException 409 {@code not_dead} when the run is not dead, 404 when unknown
   */
  public PipelineRun resume(String id) {
    Objects.requireNonNull(id, "id");
    return run(
        http.send("POST", "/v1/pipelines/runs/" + segment(id) + "/resume", null, null), false);
  }

  /** The pipelines the gateway defines. */
  public List<PipelineInfo> pipelines() {
    Http.Response response = http.send("GET", "/v1/pipelines", null, null);
    List<PipelineInfo> pipelines = new ArrayList<>();
    for (JsonNode item : list(response, "pipelines")) {
      pipelines.add(Wire.pipeline(item));
    }
    return pipelines;
  }

  /**
   * Polls the run until it is succeeded, failed or dead, waiting between polls from the builder's
   * initial poll interval, doubling up to its maximum, never past the timeout. Polls that fail
   * transiently (the gateway unreachable, 429, 5xx) are retried until the timeout, so a gateway
   * restart does not end the wait; any other error is thrown at once.
   *
   * @param timeout how long to wait; zero polls once
   * @return the run in its terminal state
   * @throws RunTimeoutException when the run is still going at the timeout; it carries the run as
   *     last seen. The run itself goes on.
   * @throws BallastApiException 404 when the run is unknown, or another non-transient error
   */
  public PipelineRun awaitRun(String id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be zero or positive, but was " + timeout);
    }
    Instant deadline = clock.instant().plus(timeout);
    Duration pause = initialPoll;
    PipelineRun last = null;
    BallastClientException lastError = null;
    while (true) {
      Duration hint = Duration.ZERO;
      try {
        last = run(id);
        lastError = null;
        if (last.terminal()) {
          return last;
        }
      } catch (BallastTransportException e) {
        lastError = e;
      } catch (BallastApiException e) {
        if (!e.transientStatus()) {
          throw e;
        }
        lastError = e;
        hint = e.retryAfter().orElse(Duration.ZERO);
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new RunTimeoutException(id, timeout, last, lastError);
      }
      sleep(min(max(pause, hint), left), id);
      pause = min(pause.multipliedBy(2), maxPoll);
    }
  }

  /** Closes the connection pool. Calls made afterwards fail. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    // Never the key.
    return "BallastClient[" + baseUrl + "]";
  }

  private PipelineRun run(Http.Response response, boolean replayed) {
    if (!response.json().isObject()) {
      throw unexpected(response, "a run");
    }
    return Wire.run(response.json(), replayed);
  }

  private static JsonNode list(Http.Response response, String alternative) {
    JsonNode items = Wire.items(response.json(), alternative);
    if (items == null) {
      throw unexpected(response, "a list");
    }
    return items;
  }

  private static BallastClientException unexpected(Http.Response response, String expected) {
    return new BallastClientException(
        response.method()
            + " "
            + response.uri()
            + ": expected "
            + expected
            + " but the gateway answered HTTP "
            + response.status()
            + " with a JSON "
            + response.json().getNodeType().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void sleep(Duration pause, String id) {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BallastClientException("interrupted while waiting for run " + id, e);
    }
  }

  /** Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are). */
  static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * Builds a {@link BallastClient}. Not thread-safe; {@link #build()} copies what it holds, so one
   * builder may make several clients.
   */
  public static final class Builder {
    private URI baseUrl;
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(30);
    private Duration initialPoll = Duration.ofMillis(200);
    private Duration maxPoll = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.THREAD;

    private Builder() {}

    /**
     * The gateway, e.g. {@code http://127.0.0.1:8080}. Required. A trailing {@code /} or {@code
     * /v1} (the base URL OpenAI SDKs use) is accepted and dropped.
     *
     * @throws IllegalArgumentException when it is not an absolute http or https URL
     */
    public Builder baseUrl(URI url) {
      Objects.requireNonNull(url, "baseUrl");
      String scheme = url.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an absolute http or https URL, but was " + url);
      }
      String text = url.toString().replaceAll("/+$", "");
      this.baseUrl = URI.create(text.endsWith("/v1") ? text.substring(0, text.length() - 3) : text);
      return this;
    }

    /** {@link #baseUrl(URI)} from text. */
    public Builder baseUrl(String url) {
      Objects.requireNonNull(url, "baseUrl");
      return baseUrl(URI.create(url));
    }

    /**
     * The virtual key, sent as {@code Authorization: Bearer}. The gateway requires one; the client
     * never prints or logs it.
     */
    public Builder apiKey(String key) {
      if (key != null && key.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = key;
      return this;
    }

    /** Limit of one request, connecting included. Default 30 seconds. */
    public Builder timeout(Duration requestTimeout) {
      if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + requestTimeout);
      }
      this.timeout = requestTimeout;
      return this;
    }

    /**
     * How {@link BallastClient#awaitRun} paces its polls: {@code initial} after the first, doubling
     * up to {@code max}. Defaults 200 ms and 2 s.
     */
    public Builder pollInterval(Duration initial, Duration max) {
      if (initial == null || initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException(
            "initial poll interval must be positive, but was " + initial);
      }
      if (max == null || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max poll interval must be at least the initial " + initial + ", but was " + max);
      }
      this.initialPoll = initial;
      this.maxPoll = max;
      return this;
    }

    /** The clock and the wait between polls, so that tests skip time instead of sleeping. */
    Builder time(Clock newClock, Sleeper newSleeper) {
      this.clock = Objects.requireNonNull(newClock, "clock");
      this.sleeper = Objects.requireNonNull(newSleeper, "sleeper");
      return this;
    }

    /**
     * @throws IllegalStateException when no base URL was given
     */
    public BallastClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException("baseUrl is required");
      }
      return new BallastClient(this);
    }
  }
}
