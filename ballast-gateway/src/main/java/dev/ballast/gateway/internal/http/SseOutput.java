package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events to one client. The response is committed lazily, on the first event, so a call
 * that fails before anything was sent can still answer with a proper HTTP error status.
 */
final class SseOutput {
  private final ServerResponse response;
  private final String runId;
  private final Runnable beforeCommit;
  private OutputStream out;

  /**
   * @param beforeCommit adds headers known only once the call was admitted (its rate-limit room)
   */
  SseOutput(ServerResponse response, String runId, Runnable beforeCommit) {
    this.response = response;
    this.runId = runId;
    this.beforeCommit = beforeCommit;
  }

  boolean started() {
    return out != null;
  }

  void event(String name, JsonNode data) {
    try {
      byte[] json = Json.mapper().writeValueAsBytes(data);
      OutputStream o = open();
      if (name != null) {
        o.write(("event: " + name + "\n").getBytes(StandardCharsets.UTF_8));
      }
      o.write("data: ".getBytes(StandardCharsets.UTF_8));
      o.write(json);
      o.write("\n\n".getBytes(StandardCharsets.UTF_8));
      o.flush();
    } catch (IOException | RuntimeException e) {
      throw clientGone(e);
    }
  }

  void raw(String text) {
    try {
      OutputStream o = open();
      o.write(text.getBytes(StandardCharsets.UTF_8));
      o.flush();
    } catch (IOException | RuntimeException e) {
      throw clientGone(e);
    }
  }

  void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        // The client is gone; there is nobody left to tell.
      }
    }
  }

  /**
   * The server reports a vanished client with its own runtime exceptions; callers see one type, so
   * that a run is journaled as abandoned by the client rather than failed by the gateway.
   */
  private static UncheckedIOException clientGone(Exception e) {
    return e instanceof UncheckedIOException u
        ? u
        : new UncheckedIOException(
            "the client closed the connection",
            e instanceof IOException io ? io : new IOException(e));
  }

  private OutputStream open() {
    if (out == null) {
      response.status(200);
      response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.header(HeaderNames.CACHE_CONTROL, "no-cache");
      response.header(HttpApi.RUN_ID_HEADER, runId);
      beforeCommit.run();
      out = response.outputStream();
    }
    return out;
  }
}
