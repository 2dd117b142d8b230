package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every plain-http {@link Transport} must do with what HTTP/1.1 servers really send: chunked
 * bodies, trailers, interim responses, keep-alive after errors and after abandoned bodies, servers
 * that close or half-close at any point, oversized heads and bodies that lie about their length.
 * Each case scripts a raw loopback server byte by byte ({@link LoopbackServer}); a subclass names
 * the transport under test, so every client that may carry plain-http upstreams passes the same
 * cases. Timeouts are the defaults, so no deadline takes part, and every call is bounded by a
 * preemptive limit: a hang fails the case instead of the build.
 *
 * <p>The behaviour asserted is what RFC 9112 requires or what the gateway relies on: a body is
 * never mixed with the next response, a broken exchange fails with a classified {@link
 * ProviderException} and never hangs, a request that may have reached the server is never sent
 * again, and a connection is reused only when its previous response ended cleanly.
 */
abstract class TransportConformance {
  static final Duration HANG_LIMIT = Duration.ofSeconds(10);
  static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  static final String SSE_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final byte[] REQUEST_BODY = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);

  LoopbackServer server;
  Transport transport;

  /** The transport under test, with the settings it has in production. */
  abstract Transport open(URI baseUrl);

  @AfterEach
  void tearDown() throws IOException {
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  void serve(LoopbackServer.Handler handler) throws IOException {
    server = LoopbackServer.start(handler);
    transport = open(server.baseUrl());
  }

  Exchange post(boolean stream) {
    URI uri = server.baseUrl().resolve("/v1/chat/completions");
    return assertTimeoutPreemptively(
        HANG_LIMIT,
        () ->
            transport.post(
                uri,
                Map.of("Content-Type", "application/json"),
                REQUEST_BODY,
                Timeouts.DEFAULT,
                stream));
  }

  String call() {
    try (Exchange exchange = post(false)) {
      return assertTimeoutPreemptively(HANG_LIMIT, exchange::bodyAsString);
    }
  }

  /** The failure of a whole call, head and body, which must come within the hang limit. */
  ProviderException callFailure() {
    return catchThrowableOfType(ProviderException.class, this::call);
  }

  List<Integer> connectionsOfRequests() {
    return server.requests().stream().map(LoopbackServer.Request::connection).toList();
  }

  /** Answers every request on a connection with {@code response}, keeping the connection open. */
  static LoopbackServer.Handler answering(String response) {
    return connection -> {
      while (connection.readRequest() != null) {
        connection.write(response);
      }
    };
  }

  static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  static String sseEvent(String data) {
    return chunk("data: " + data + "\n\n");
  }

  // ---- chunked bodies and trailers ----

  @Test
  void readsChunksWithExtensions() throws IOException {
    serve(
        answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "7 ; a=\"b;c\"\r\n, world\r\n"
                + "0;last\r\n\r\n"));

    assertThat(call()).isEqualTo("hello, world");
    assertThat(call()).isEqualTo("hello, world");
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void readsABodySentAsManyTinyChunksInSeparateWrites() throws IOException {
    String expected = "abcdefghijklmnopqrstuvwxyz".repeat(40);
    serve(
        connection -> {
          while (connection.readRequest() != null) {
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (char c : expected.toCharArray()) {
              connection.write(chunk(String.valueOf(c)));
            }
            connection.write("0\r\n\r\n");
          }
        });

    assertThat(call()).isEqualTo(expected);
    assertThat(call()).isEqualTo(expected);
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void streamsEventsThatArriveOneTinyChunkAtATime() throws Exception {
    String event = "data: {\"n\":1}\n\n";
    serve(
        connection -> {
          connection.readRequest();
          connection.write(SSE_HEAD);
          for (int i = 0; i < 50; i++) {
            for (char c : event.toCharArray()) {
              connection.write(chunk(String.valueOf(c)));
            }
          }
          connection.write(sseEvent("[DONE]") + "0\r\n\r\n");
          connection.awaitClientClose();
        });

    List<String> events = new ArrayList<>();
    try (Exchange exchange = post(true)) {
      SseReader reader = new SseReader(exchange.body());
      assertTimeoutPreemptively(
          HANG_LIMIT,
          () -> {
            for (String data; (data = reader.next()) != null; ) {
              events.add(data);
            }
          });
    }

    assertThat(events).hasSize(51).startsWith("{\"n\":1}").endsWith("[DONE]");
  }

  @Test
  void skipsTrailersAndReusesTheConnection() throws IOException {
    serve(
        answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                + chunk("body")
                + "0\r\nX-Checksum: abc\r\nX-Other: two\r\n\r\n"));

    assertThat(call()).isEqualTo("body");
    assertThat(call()).isEqualTo("body");
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  // ---- keep-alive ----

  @Test
  void reusesTheConnectionAfterAnErrorResponse() throws IOException {
    String error = "{\"error\":{\"message\":\"overloaded\"}}";
    serve(
        connection -> {
          connection.readRequest();
          connection.write(
              "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + error.length()
                  + "\r\n\r\n"
                  + error);
          connection.readRequest();
          connection.write(
              "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + chunk(error)
                  + "0\r\n\r\n");
          while (connection.readRequest() != null) {
            connection.write(OK);
          }
        });

    try (Exchange exchange = post(false)) {
      assertThat(exchange.status()).isEqualTo(503);
      assertThat(exchange.bodyAsString()).isEqualTo(error);
    }
    try (Exchange exchange = post(false)) {
      assertThat(exchange.status()).isEqualTo(429);
      assertThat(exchange.bodyAsString()).isEqualTo(error);
    }
    assertThat(call()).isEqualTo("ok");
    assertThat(connectionsOfRequests()).containsExactly(1, 1, 1);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBodyNotReadToItsEndNeverLeaksIntoTheNextResponse(boolean chunked) throws IOException {
    String big = "x".repeat(200_000);
    String answer =
        chunked
            ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(big) + "0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: " + big.length() + "\r\n\r\n" + big;
    serve(
        connection -> {
          for (LoopbackServer.Request r; (r = connection.readRequest()) != null; ) {
            connection.write(server.requests().size() == 1 ? answer : OK);
          }
        });

    try (Exchange exchange = post(false)) {
      assertThat(exchange.body().readNBytes(10)).hasSize(10);
    }

    assertThat(call()).isEqualTo("ok");
  }

  /**
   * A stream is read up to its terminating event, not to the end of its body; when the rest of the
   * body (the last chunk) has already arrived, the connection is still reusable. Without this,
   * every stream from a chunked upstream costs a new connection and a socket in TIME_WAIT.
   */
  @Test
  void aStreamClosedAfterItsLastEventKeepsItsConnectionWhenItsEndIsAlreadyHere()
      throws IOException {
    serve(answering(SSE_HEAD + sseEvent("{\"n\":1}") + sseEvent("[DONE]") + "0\r\n\r\n"));

    for (int i = 0; i < 3; i++) {
      try (Exchange exchange = post(true)) {
        SseReader reader = new SseReader(exchange.body());
        assertThat(assertTimeoutPreemptively(HANG_LIMIT, reader::next)).isEqualTo("{\"n\":1}");
        assertThat(assertTimeoutPreemptively(HANG_LIMIT, reader::next)).isEqualTo("[DONE]");
      }
    }

    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  /** The same with a stream framed by Content-Length, as nginx and many proxies send it. */
  @Test
  void aStreamWithAContentLengthClosedAfterItsLastEventKeepsItsConnection() throws IOException {
    String events = "data: {\"n\":1}\n\ndata: [DONE]\n\n";
    serve(
        answering(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                + events.length()
                + "\r\n\r\n"
                + events));

    for (int i = 0; i < 3; i++) {
      try (Exchange exchange = post(true)) {
        SseReader reader = new SseReader(exchange.body());
        assertThat(assertTimeoutPreemptively(HANG_LIMIT, reader::next)).isEqualTo("{\"n\":1}");
        assertThat(assertTimeoutPreemptively(HANG_LIMIT, reader::next)).isEqualTo("[DONE]");
      }
    }

    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void honoursConnectionClose() throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
          connection.awaitClientClose();
          closedByClient.countDown();
        });

    assertThat(call()).isEqualTo("ok");
    assertThat(closedByClient.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(call()).isEqualTo("ok");
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  // ---- interim responses ----

  @Test
  void skipsInterimResponsesBeforeTheFinalOne() throws IOException {
    serve(
        answering(
            "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok"));

    try (Exchange exchange = post(false)) {
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.headers().firstValue("x-final")).hasValue("yes");
      assertThat(exchange.headers().firstValue("link")).isEmpty();
      assertThat(exchange.bodyAsString()).isEqualTo("ok");
    }
    assertThat(call()).isEqualTo("ok");
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void anEndlessRunOfInterimResponsesIsAClearError() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          while (true) {
            connection.write("HTTP/1.1 100 Continue\r\n\r\n");
          }
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  // ---- oversized heads ----

  @Test
  void anOversizedStatusLineIsAClearError() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 " + "O".repeat(1 << 20) + "\r\n\r\n");
          connection.awaitClientClose();
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  @Test
  void anOversizedHeaderIsAClearError() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\nX-Big: " + "v".repeat(1 << 20) + "\r\n\r\n");
          connection.awaitClientClose();
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  /** Many small header lines, without end: the head must be bounded in total, not per line. */
  @Test
  void anEndlessHeadIsAClearErrorWithBoundedMemory() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\n");
          for (int i = 0; ; i++) {
            connection.write("X-Header-" + i + ": " + "v".repeat(100) + "\r\n");
          }
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  // ---- bodies that lie about their length ----

  @Test
  void aBodyShorterThanItsContentLengthIsAClearError() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
          connection.close();
        });

    ProviderException e = callFailure();

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  /**
   * Bytes beyond a response's Content-Length that arrive after the response was read must not be
   * taken for the answer to the next request on that connection.
   */
  @Test
  void bytesBeyondTheContentLengthThatArriveLaterAreNeverTheNextResponse() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    CountDownLatch staleSent = new CountDownLatch(1);
    serve(
        connection -> {
          for (LoopbackServer.Request r; (r = connection.readRequest()) != null; ) {
            if (r.connection() == 1) {
              connection.write(OK);
              firstRead.await();
              connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
              staleSent.countDown();
            } else {
              connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
            }
          }
        });
    assertThat(call()).isEqualTo("ok");
    firstRead.countDown();
    assertThat(staleSent.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50); // loopback delivery of the stale bytes; not a timing assertion

    assertThat(call()).isEqualTo("fresh");
  }

  @Test
  void conflictingContentLengthsAreAClearError() throws IOException {
    serve(answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello"));

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  /** RFC 9112 section 6.3 lets a recipient accept a list of identical lengths. */
  @Test
  void repeatedIdenticalContentLengthsAreOneLength() throws IOException {
    serve(answering("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"));

    assertThat(call()).isEqualTo("ok");
    assertThat(call()).isEqualTo("ok");
  }

  /**
   * A response with both Content-Length and chunked coding is framed by the chunks (RFC 9112
   * section 6.3), and its connection is not trusted with another request.
   */
  @Test
  void chunkedCodingOverridesContentLengthAndTheConnectionIsNotReused() throws IOException {
    serve(
        answering(
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk("hello")
                + "0\r\n\r\n"));

    assertThat(call()).isEqualTo("hello");
    assertThat(call()).isEqualTo("hello");
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheServerClosesAndTheConnectionIsNotReused() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
          connection.close();
        });

    assertThat(call()).isEqualTo("until the end");
    assertThat(call()).isEqualTo("until the end");
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  // ---- servers that close or half-close ----

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aServerThatClosesMidBodyIsAClearErrorNotAHang(boolean chunked) throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write(
              chunked
                  ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("part")
                  : "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
          connection.close();
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aServerThatHalfClosesMidBodyIsAClearErrorNotAHang(boolean chunked) throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write(
              chunked
                  ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("part")
                  : "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
          connection.halfClose();
          connection.awaitClientClose();
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  @Test
  void aStreamThatTheServerHalfClosesMidEventFailsItsReader() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write(SSE_HEAD + sseEvent("{\"n\":1}") + "5\r\ndat");
          connection.halfClose();
          connection.awaitClientClose();
        });

    try (Exchange exchange = post(true)) {
      InputStream body = exchange.body();
      IOException e =
          catchThrowableOfType(
              IOException.class,
              () -> assertTimeoutPreemptively(HANG_LIMIT, () -> body.readAllBytes()));
      assertThat(e).isNotNull();
    }
  }

  @Test
  void aServerThatClosesBeforeItsHeadersIsConnectionReset() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write("HTTP/1.1 200 OK\r\nContent-Le");
          connection.close();
        });

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  // ---- idle pooled connections ----

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anIdleConnectionTheServerClosedIsReplacedAndTheRequestSentOnce(boolean halfClose)
      throws Exception {
    CountDownLatch closedByServer = new CountDownLatch(1);
    serve(
        connection -> {
          connection.readRequest();
          connection.write(OK);
          if (halfClose) {
            connection.halfClose();
            closedByServer.countDown();
            connection.awaitClientClose();
          } else {
            connection.close();
            closedByServer.countDown();
          }
        });
    assertThat(call()).isEqualTo("ok");
    assertThat(closedByServer.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50); // loopback delivery of the FIN; not a timing assertion

    assertThat(call()).isEqualTo("ok");

    assertThat(connectionsOfRequests()).containsExactly(1, 2);
  }

  /**
   * A POST that reached the server may have been acted on: when the server closes a reused
   * connection after reading the request, the request fails and is not sent again (the resilience
   * chain decides about another attempt).
   */
  @Test
  void aRequestThatReachedTheServerIsNotSentAgain() throws IOException {
    serve(
        connection -> {
          connection.readRequest();
          connection.write(OK);
          connection.readRequest();
          connection.close();
        });
    assertThat(call()).isEqualTo("ok");

    assertThat(callFailure().errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);

    assertThat(server.requests()).hasSize(2);
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }
}
