package dev.ballast.gateway.internal.http;

import dev.ballast.calls.Admission;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.limits.LimitKind;
import dev.ballast.core.model.Usage;
import dev.ballast.gateway.internal.wire.Usd;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The headers of a model call's answer a client can act on (docs/limits.md): OpenAI's {@code
 * x-ratelimit-*} for the tightest per-minute limit that applies (the tenant's or the managed
 * key's), only when one is configured, and the call's cost and tokens.
 */
final class CallHeaders {
  static final HeaderName COST = HeaderNames.create("x-ballast-cost-usd");
  static final HeaderName INPUT_TOKENS = HeaderNames.create("x-ballast-input-tokens");
  static final HeaderName OUTPUT_TOKENS = HeaderNames.create("x-ballast-output-tokens");

  private final Admission admission;

  CallHeaders(Admission admission) {
    this.admission = admission;
  }

  /** The answer's cost (failed attempts the provider bills included) and its tokens. */
  static void cost(ServerResponse res, double costUsd, Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    res.header(COST, Usd.text(costUsd));
    res.header(INPUT_TOKENS, String.valueOf(u.inputTokens()));
    res.header(OUTPUT_TOKENS, String.valueOf(u.outputTokens()));
  }

  /**
   * The rate-limit headers of the caller's tightest requests and tokens limits, as the node knows
   * them now; nothing for a kind without a configured limit.
   *
   * @param keyAccount the managed key's own limits, or null
   */
  void rateLimits(ServerResponse res, TenantConfig tenant, TenantConfig keyAccount) {
    if (res.isSent()) {
      return;
    }
    tightest(tenant, keyAccount, LimitKind.REQUESTS).ifPresent(r -> put(res, "requests", r));
    tightest(tenant, keyAccount, LimitKind.TOKENS).ifPresent(r -> put(res, "tokens", r));
  }

  private Optional<Admission.Room> tightest(
      TenantConfig tenant, TenantConfig keyAccount, LimitKind kind) {
    return Stream.of(tenant, keyAccount)
        .filter(t -> t != null)
        .map(t -> admission.room(t, kind))
        .flatMap(Optional::stream)
        .min(
            Comparator.comparingLong(Admission.Room::remaining)
                .thenComparingLong(Admission.Room::limit));
  }

  private static void put(ServerResponse res, String kind, Admission.Room room) {
    res.header(HeaderNames.create("x-ratelimit-limit-" + kind), String.valueOf(room.limit()));
    res.header(
        HeaderNames.create("x-ratelimit-remaining-" + kind), String.valueOf(room.remaining()));
    res.header(HeaderNames.create("x-ratelimit-reset-" + kind), goDuration(room.reset()));
  }

  /**
   * A duration as OpenAI writes its reset headers (Go's format, whole seconds): {@code 0s}, {@code
   * 17s}, {@code 6m0s}, {@code 1h2m3s}. Rounded up: a client that waits that long finds the room.
   */
  static String goDuration(Duration d) {
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    if (h > 0) {
      return h + "h" + m + "m" + s + "s";
    }
    return m > 0 ? m + "m" + s + "s" : s + "s";
  }
}
