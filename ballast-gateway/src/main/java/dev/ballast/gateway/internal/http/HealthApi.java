package dev.ballast.gateway.internal.http;

import dev.ballast.calls.Resilience;
import dev.ballast.core.config.GroupConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.retrieval.IndexStatus;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Probes for orchestrators and load balancers, without authentication, on every role:
 *
 * <ul>
 *   <li>{@code GET /livez}: the process is up and serving HTTP; 200 {@code {"status":"ok"}}. Says
 *       nothing of the store or providers on purpose: restarting a node cures none of their
 *       outages, and a liveness probe that failed with the database would restart every node at
 *       once.
 *   <li>{@code GET /readyz}: 200 when the node should get traffic, else 503, with a reason per
 *       check in the body ({@link Readiness}).
 *   <li>{@code GET /healthz}: an alias of {@code /livez} that answers {@code ok} as it always did,
 *       so existing liveness probes keep their meaning.
 * </ul>
 */
public final class HealthApi {
  private static final String JSON = "application/json";

  private final Readiness readiness;

  HealthApi(Readiness readiness) {
    this.readiness = readiness;
  }

  public static HealthApi create(
      Store store,
      Supplier<List<IndexStatus>> indexes,
      Supplier<Collection<GroupConfig>> groups,
      Resilience resilience,
      Drain drain,
      Clock clock) {
    return new HealthApi(new Readiness(store, indexes, groups, resilience, drain, clock));
  }

  public void register(HttpRouting.Builder routing) {
    routing
        .get("/livez", (req, res) -> json(res, Status.OK_200, "{\"status\":\"ok\"}"))
        .get("/healthz", (req, res) -> res.send("ok"))
        .get("/readyz", this::readyz);
  }

  private void readyz(ServerRequest req, ServerResponse res) {
    Readiness.Report report = readiness.check();
    json(
        res,
        report.ready() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503,
        report.body().toString());
  }

  private static void json(ServerResponse res, Status status, String body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(body);
  }
}
