package dev.ballast.pipeline.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.FailureClassification;
import dev.ballast.core.Json;
import dev.ballast.core.pipeline.Effect;
import dev.ballast.core.pipeline.HttpActionSpec;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.pipeline.Template;
import dev.ballast.core.pipeline.WebhookUrls;
import dev.ballast.core.spi.StageHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code http_action}: sends a webhook with the effect's stable key as {@code Idempotency-Key}. The
 * effect is recorded in the ledger before the request leaves; a re-execution (a retry, a crash and
 * a takeover) sends the same key again and the receiver deduplicates. 2xx succeeds; 408, 425, 429
 * and 5xx and network failures are retried; any other status fails the run for good.
 *
 * <p>Secrets hygiene (docs/limits.md): the URL is recorded only as {@link WebhookUrls#redacted}
 * (its path and query often carry a token); the answer is read up to {@link #MAX_BODY_KEPT} bytes
 * and the rest is never read; it is kept in the stage's output only when the tenant captures
 * content, and never in an error.
 */
final class HttpActionStage implements StageHandler {
  static final int MAX_BODY_KEPT = 64 * 1024;

  private final HttpClient http;
  private final String url;
  private final String method;
  private final Map<String, String> headers;
  private final JsonNode body;

  HttpActionStage(HttpActionSpec spec, HttpClient http) {
    this.http = http;
    this.url = spec.url();
    this.method = spec.method().name();
    this.headers = spec.headers();
    this.body = spec.body();
  }

  @Override
  public JsonNode execute(StageContext context) throws IOException, InterruptedException {
    JsonNode scope = context.templateScope();
    JsonNode payload = body == null ? defaultBody(context) : Template.render(body, scope);
    String target = Template.renderText(url, scope);
    String shown = WebhookUrls.redacted(target);
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      // The parser's message quotes the whole URL: it is not passed on.
      throw new StageException("invalid_url", "webhook " + shown + " is not a valid URL", false);
    }
    Effect effect = context.effect("webhook");
    Duration left = Duration.between(Instant.now(context.clock()), context.deadline());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", effect.key())
            .header("X-Ballast-Run-Id", context.runId())
            .method(
                method,
                HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(payload)));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      request.header(h.getKey(), Template.renderText(h.getValue(), scope));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), CappedBody.handler(MAX_BODY_KEPT));
    } catch (java.net.http.HttpTimeoutException e) {
      throw StageException.ofDependency(
          ErrorClass.TIMEOUT, "timeout", "webhook " + shown + " timed out", e);
    } catch (IOException e) {
      throw StageException.ofDependency(
          ErrorClass.CONNECTION_REFUSED,
          "connection_failed",
          "webhook " + shown + " failed: " + e,
          e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw StageException.ofDependency(
          FailureClassification.fromHttpStatus(status, null, null),
          "http_" + status,
          "webhook " + shown + " answered " + status,
          null);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("status", status);
    out.put("effect_key", effect.key());
    if (context.capturesContent()) {
      out.set("body", parsed(response.body()));
    } else {
      out.putNull("body");
    }
    return out;
  }

  private static JsonNode defaultBody(StageContext context) {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("run_id", context.runId());
    b.put("pipeline", context.pipeline().name());
    b.put("stage", context.stage().name());
    b.set("input", context.input());
    ObjectNode stages = b.putObject("stages");
    context.outputs().forEach(stages::set);
    return b;
  }

  /** The answer as JSON when it is JSON and complete, else as text cut at the cap. */
  private static JsonNode parsed(byte[] bytes) {
    if (bytes.length == 0) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (bytes.length <= MAX_BODY_KEPT) {
      try {
        return Json.mapper().readTree(bytes);
      } catch (IOException notJson) {
        // Kept as text below.
      }
    }
    return JsonNodeFactory.instance.textNode(snippet(bytes));
  }

  private static String snippet(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, MAX_BODY_KEPT), StandardCharsets.UTF_8);
    return bytes.length > MAX_BODY_KEPT ? s + "..." : s;
  }
}
