package dev.ballast.simulator.internal.server;

import dev.ballast.simulator.internal.Plan;
import dev.ballast.simulator.internal.PlannedFailure;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.wire.ChatWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a reply that do not depend on the answer: delays, errors and connection faults. */
final class Replies {
  static final String JSON = "application/json";

  private Replies() {}

  static void sleep(Duration d) throws InterruptedException {
    if (d != null && d.isPositive()) {
      Thread.sleep(d);
    }
  }

  static void json(HttpExchange exchange, int status, String body) throws IOException {
    exchange.respond(status, JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static void failure(HttpExchange exchange, ChatWire wire, PlannedFailure failure)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(wire.errorHeaders(failure));
    if (failure.retryAfter() != null) {
      headers.put("Retry-After", Long.toString(failure.retryAfter().toSeconds()));
    }
    byte[] body = wire.errorBody(failure).getBytes(StandardCharsets.UTF_8);
    exchange.respond(wire.errorStatus(failure), JSON, body, headers);
  }

  /**
   * Sends what every plan but a successful answer sends.
   *
   * @return true when the exchange is finished, false when the caller should now answer
   */
  static boolean faultOrFailure(HttpExchange exchange, ChatWire wire, Plan plan)
      throws IOException, InterruptedException {
    sleep(plan.latency());
    switch (plan.outcome()) {
      case FAIL -> failure(exchange, wire, plan.failure());
      case RESET -> exchange.reset();
      case SILENCE -> exchange.hangUntilClosed();
      case ANSWER -> {
        return false;
      }
    }
    return true;
  }
}
