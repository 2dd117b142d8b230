package dev.ballast.simulator.internal.server;

import dev.ballast.simulator.SimulationSpec;
import dev.ballast.simulator.internal.http.HttpExchange;
import dev.ballast.simulator.internal.wire.StreamEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Sends a successful answer, applying the spec's stream faults at the right byte. */
final class AnswerPlayer {
  private AnswerPlayer() {}

  static void stream(HttpExchange exchange, StreamEvents events, SimulationSpec spec)
      throws IOException, InterruptedException {
    exchange.startStream(200, events.contentType());
    for (String event : events.opening()) {
      exchange.sendChunk(events.bytes(event));
    }
    List<String> tokens = events.tokens();
    int malformedAt = spec.malformedChunk() ? tokens.size() / 2 : -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (interrupted(exchange, events, spec, i)) {
        return;
      }
      Replies.sleep(i == 0 ? spec.firstTokenDelay() : spec.tokenDelay());
      if (i == malformedAt) {
        exchange.sendChunk(events.bytes(events.malformed()));
      }
      exchange.sendChunk(events.bytes(tokens.get(i)));
    }
    if (interrupted(exchange, events, spec, tokens.size())) {
      return;
    } else if (spec.cutAfter() >= tokens.size()) {
      exchange.cut();
      return;
    } else if (spec.stallAfter() >= tokens.size()) {
      exchange.hangUntilClosed();
      return;
    }
    for (String event : events.closing()) {
      exchange.sendChunk(events.bytes(event));
    }
    if (events.terminator() != null && !spec.noDone()) {
      exchange.sendChunk(events.bytes(events.terminator()));
    }
    exchange.endStream();
  }

  private static boolean interrupted(
      HttpExchange exchange, StreamEvents events, SimulationSpec spec, int sent)
      throws IOException {
    if (spec.errorAfter() == sent) {
      exchange.sendChunk(events.bytes(events.error()));
      exchange.endStream();
      return true;
    } else if (spec.cutAfter() == sent) {
      exchange.cut();
      return true;
    } else if (spec.stallAfter() == sent) {
      exchange.hangUntilClosed();
      return true;
    }
    return false;
  }

  /**
   * Sends a complete body. With a first-token delay the headers go first and the body waits; with a
   * cut or stall half of the body is sent before the connection is closed or goes quiet.
   */
  static void body(HttpExchange exchange, String text, SimulationSpec spec)
      throws IOException, InterruptedException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    boolean broken = spec.cutAfter() >= 0 || spec.stallAfter() >= 0;
    if (!broken && !spec.firstTokenDelay().isPositive()) {
      exchange.respond(200, Replies.JSON, body, Map.of());
      return;
    }
    exchange.sendHeaders(200, Replies.JSON, body.length, Map.of());
    Replies.sleep(spec.firstTokenDelay());
    if (!broken) {
      exchange.sendBody(body, 0, body.length);
      return;
    }
    exchange.sendBody(body, 0, body.length / 2);
    if (spec.cutAfter() >= 0) {
      exchange.cut();
    } else {
      exchange.hangUntilClosed();
    }
  }
}
