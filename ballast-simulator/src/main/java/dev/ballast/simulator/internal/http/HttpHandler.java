package dev.ballast.simulator.internal.http;

import java.io.IOException;

/** Answers one request on the connection's thread; may block (faults do). */
@FunctionalInterface
public interface HttpHandler {
  void handle(HttpRequest request, HttpExchange exchange) throws IOException, InterruptedException;
}
