package dev.ballast.gateway.internal.http;

import dev.ballast.gateway.internal.wire.ApiError;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's drain on shutdown: counts the requests in flight, and once {@link #start()} was called
 * refuses new work with a 503 {@code node_draining} (closing the connection, so the client's retry
 * goes to another node) while the requests already in flight finish. Health, status and metrics are
 * still answered, so that a load balancer reads {@code /readyz} as not ready and a scraper sees the
 * node to the end. Thread-safe.
 */
public final class Drain implements Filter {
  private static final Set<String> ALWAYS =
      Set.of("/livez", "/readyz", "/healthz", "/metrics", "/v1/ballast/status");

  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (ALWAYS.contains(req.path().path())) {
      chain.proceed();
      return;
    }
    inFlight.incrementAndGet();
    try {
      // Read after counting: a request counted before start() is waited for, one after is refused.
      if (draining) {
        HttpApi.sendError(
            res,
            new ApiError(
                503,
                "server_error",
                "node_draining",
                null,
                "This node is shutting down and takes no new requests; retry on another node.",
                1L),
            req.path().path().equals("/v1/messages"));
        return;
      }
      chain.proceed();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** From now on new requests are refused and {@code /readyz} answers 503. */
  public void start() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Requests being served now (health, status and metrics not counted). */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Waits until no request is in flight, or {@code timeout} passed.
   *
   * @return true when the node is idle
   */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
