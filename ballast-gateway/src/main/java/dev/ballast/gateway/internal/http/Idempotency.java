package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.calls.Redactor;
import dev.ballast.core.Json;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.spi.IdempotencyStore;
import dev.ballast.core.spi.IdempotencyStore.IdempotencyRecord;
import dev.ballast.gateway.internal.wire.AnthropicResponseWriter;
import dev.ballast.gateway.internal.wire.ApiError;
import dev.ballast.gateway.internal.wire.OpenAiResponseWriter;
import dev.ballast.resilience.Deadline;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key}: a non-streaming call runs once per (tenant, key); a retry joins the call
 * in flight (on any node sharing the store) or receives the recorded response, and never reaches a
 * provider again. A key reused with a different request is refused with 422. Only answers are
 * recorded (a success or a non-retryable client error); a retryable failure releases the key. The
 * response kept for a key obeys the tenant's capture policy: none without capture (a retry is told
 * so with 409), redacted otherwise. Expired keys are deleted by {@link #sweep}.
 */
public final class Idempotency {
  static final HeaderName KEY_HEADER = HeaderNames.create("Idempotency-Key");
  static final HeaderName REPLAYED_HEADER = HeaderNames.create("x-ballast-idempotent-replayed");
  private static final Duration POLL = Duration.ofMillis(20);

  private final IdempotencyStore store;
  private final Clock clock;
  private final Duration ttl;
  private final Duration abandonAfter;

  public Idempotency(IdempotencyStore store, Clock clock, Duration ttl, Duration abandonAfter) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
    this.abandonAfter = abandonAfter;
  }

  /** Deletes the expired keys and the abandoned claims; see {@link IdempotencyStore#sweep}. */
  public int sweep() {
    return store.sweep(clock.instant(), abandonAfter);
  }

  static Optional<String> key(io.helidon.webserver.http.ServerRequest req) {
    Optional<String> key = req.headers().first(KEY_HEADER).map(String::trim);
    if (key.isPresent() && (key.get().isEmpty() || key.get().length() > 255)) {
      throw ApiError.invalid(
          "Idempotency-Key", "Invalid 'Idempotency-Key' header: expected 1 to 255 characters.");
    }
    return key;
  }

  /**
   * Runs {@code call} unless the key already has (or is producing) a response, and sends the
   * response either way.
   *
   * @param fingerprint what makes two requests the same: the endpoint and the body
   */
  void serve(
      TenantConfig tenant,
      String key,
      String fingerprint,
      String runId,
      Deadline deadline,
      ServerResponse res,
      boolean anthropic,
      Supplier<JsonNode> call) {
    String hash = Payload.sha256(fingerprint.getBytes(StandardCharsets.UTF_8));
    IdempotencyRecord record =
        store.claim(tenant.name(), key, hash, runId, clock.instant(), ttl, abandonAfter);
    if (!record.claimedBy().equals(runId)) {
      // This call's run never happens: the answer is another run's, in that caller's trace.
      TraceContext.forget(res);
      replay(tenant, key, hash, record, deadline, res);
      return;
    }
    byte[] body;
    try {
      body = bytes(call.get());
    } catch (RuntimeException e) {
      Optional<ApiError> answer = HttpErrors.answer(e);
      if (answer.isEmpty() || retryable(answer.get())) {
        // No answer to remember: the next retry must be allowed to execute.
        store.release(tenant.name(), key, runId);
        throw e;
      }
      ApiError error = answer.get();
      store.complete(
          tenant.name(),
          key,
          runId,
          error.status(),
          kept(
              tenant,
              bytes(
                  anthropic
                      ? AnthropicResponseWriter.error(error)
                      : OpenAiResponseWriter.error(error))));
      throw e;
    }
    store.complete(tenant.name(), key, runId, 200, kept(tenant, body));
    send(res, 200, body, runId, false);
  }

  /**
   * What of a response the store keeps for the key: what the tenant's capture policy lets the
   * journal keep, i.e. nothing with {@code capture: false}, else the response with its {@code
   * redact} patterns applied. A retry is answered with exactly that.
   */
  private static byte[] kept(TenantConfig tenant, byte[] body) {
    String text = Redactor.text(tenant, new String(body, StandardCharsets.UTF_8));
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Invariant: a key keeps answers, not transient failures. Only a success or a client error that
   * the same request would meet again is recorded; a failure a retry may not meet (5xx, 429, 408)
   * releases the key, so the client's retry runs instead of replaying it for the whole TTL.
   */
  private static boolean retryable(ApiError error) {
    int status = error.status();
    return status >= 500 || status == 429 || status == 408;
  }

  private void replay(
      TenantConfig tenant,
      String key,
      String hash,
      IdempotencyRecord record,
      Deadline deadline,
      ServerResponse res) {
    if (!record.requestHash().equals(hash)) {
      throw new ApiError(
          422,
          "invalid_request_error",
          "idempotency_key_reused",
          "Idempotency-Key",
          "This Idempotency-Key was used with a different request; use a new key for a new request.");
    }
    IdempotencyRecord current = record;
    while (!current.completed()) {
      if (!deadline.fits(POLL)) {
        throw new ApiError(
            409,
            "invalid_request_error",
            "idempotency_key_in_flight",
            "Idempotency-Key",
            "A request with this Idempotency-Key is still being served; retry later.",
            1L);
      }
      sleep();
      current = store.find(tenant.name(), key).orElse(null);
      if (current == null || !current.claimedBy().equals(record.claimedBy())) {
        // The first claimant gave up without a result; this retry may now execute it.
        throw new ApiError(
            409,
            "invalid_request_error",
            "idempotency_key_released",
            "Idempotency-Key",
            "The earlier request with this Idempotency-Key failed without a result; retry it.",
            0L);
      }
    }
    if (current.body() == null) {
      // The call was made once and must not be made again, but its answer was not kept.
      res.header(HttpApi.RUN_ID_HEADER, current.claimedBy());
      throw new ApiError(
          409,
          "invalid_request_error",
          "idempotency_response_not_kept",
          "Idempotency-Key",
          "The request with this Idempotency-Key was served (run "
              + current.claimedBy()
              + ", status "
              + current.status()
              + "), but its response was not kept: the tenant's capture is off.");
    }
    send(res, current.status(), current.body(), current.claimedBy(), true);
  }

  private static void send(
      ServerResponse res, int status, byte[] body, String runId, boolean replayed) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HttpApi.RUN_ID_HEADER, runId);
    if (replayed) {
      res.header(REPLAYED_HEADER, "true");
    }
    res.send(body);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("response bodies are plain JSON trees", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "server_error", "interrupted", null, "The gateway is shutting down.");
    }
  }
}
