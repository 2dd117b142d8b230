package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-http client against a loopback server that writes raw bytes: framing, keep-alive and
 * what happens to connections the server or the client gives up on. Timeouts are the defaults, so
 * no deadline takes part; every call is bounded by a preemptive limit so that a hang fails the test
 * instead of the build.
 */
class Http1TransportTest {
  private static final Duration HANG_LIMIT = Duration.ofSeconds(10);
  // With these pool limits an idle connection is always, or never, looked at before reuse.
  private static final Duration ALWAYS = Duration.ZERO;
  private static final Duration NEVER = Duration.ofHours(1);
  private static final byte[] REQUEST_BODY = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private LoopbackServer server;
  private Http1Transport transport;

  @AfterEach
  void tearDown() throws IOException {
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void serve(LoopbackServer loopback) {
    serve(loopback, Duration.ofSeconds(4), Duration.ofMillis(500));
  }

  private void serve(LoopbackServer loopback, Duration maxIdle, Duration checkAfterIdle) {
    server = loopback;
    transport = new Http1Transport(server.baseUrl(), maxIdle, checkAfterIdle);
  }

  private Exchange post() {
    URI uri = server.baseUrl().resolve("/v1/chat?x=1");
    return assertTimeoutPreemptively(
        HANG_LIMIT,
        () ->
            transport.post(
                uri,
                Map.of("Content-Type", "application/json"),
                REQUEST_BODY,
                Timeouts.DEFAULT,
                false));
  }

  private String call() {
    try (Exchange exchange = post()) {
      return assertTimeoutPreemptively(HANG_LIMIT, exchange::bodyAsString);
    }
  }

  @Test
  void sendsAPostWithHostAndContentLength() throws IOException {
    serve(LoopbackServer.answering(OK));

    call();

    LoopbackServer.Request request = server.requests().getFirst();
    assertThat(request.requestLine()).isEqualTo("POST /v1/chat?x=1 HTTP/1.1");
    assertThat(request.headers())
        .contains(
            "Host: 127.0.0.1:" + server.baseUrl().getPort(),
            "Content-Type: application/json",
            "Content-Length: " + REQUEST_BODY.length);
    assertThat(request.body()).isEqualTo("{\"q\":1}");
  }

  @Test
  void readsABodyFramedByContentLength() throws IOException {
    serve(
        LoopbackServer.answering(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
                + "{\"ok\":true}"));

    try (Exchange exchange = post()) {
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(exchange.bodyAsString()).isEqualTo("{\"ok\":true}");
    }
  }

  @Test
  void readsAChunkedBodyWithExtensionsAndTrailersAndKeepsTheConnection() throws IOException {
    serve(
        LoopbackServer.answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "7 ; a=\"b;c\"\r\n, world\r\n"
                + "0;last\r\nX-Checksum: abc\r\nX-Other: two\r\n\r\n"));

    assertThat(call()).isEqualTo("hello, world");
    // Only a body read past its trailers leaves the connection at the next response.
    assertThat(call()).isEqualTo("hello, world");

    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void readsABodyThatEndsWithTheConnectionAndDoesNotReuseIt() throws IOException {
    serve(
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\n\r\nuntil the end");
              connection.close();
            }));

    assertThat(call()).isEqualTo("until the end");
    assertThat(call()).isEqualTo("until the end");

    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void sequentialRequestsShareOneConnection() throws IOException {
    serve(LoopbackServer.answering(OK));

    assertThat(call()).isEqualTo("ok");
    assertThat(call()).isEqualTo("ok");

    assertThat(server.acceptedConnections()).isEqualTo(1);
    assertThat(server.requests())
        .extracting(LoopbackServer.Request::connection)
        .containsExactly(1, 1);
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
    CountDownLatch closedByServer = new CountDownLatch(1);
    serve(
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.write(OK);
              connection.close();
              closedByServer.countDown();
            }),
        Duration.ofSeconds(4),
        ALWAYS);
    assertThat(call()).isEqualTo("ok");
    assertThat(closedByServer.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(call()).isEqualTo("ok");

    assertThat(server.requests())
        .extracting(LoopbackServer.Request::connection)
        .containsExactly(1, 2);
  }

  /**
   * The documented trade-off: a connection reused without a look fails the request when the server
   * closed it, and the request is not sent again, because a POST may have been acted on.
   */
  @Test
  void aRequestOnAConnectionTheServerClosedUnnoticedFailsAndIsNotSentAgain() throws Exception {
    CountDownLatch closedByServer = new CountDownLatch(1);
    serve(
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.write(OK);
              connection.close();
              closedByServer.countDown();
            }),
        Duration.ofSeconds(4),
        NEVER);
    assertThat(call()).isEqualTo("ok");
    assertThat(closedByServer.await(10, TimeUnit.SECONDS)).isTrue();

    ProviderException e = catchThrowableOfType(ProviderException.class, this::post);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
    assertThat(server.acceptedConnections()).isEqualTo(1);
    // The broken connection was dropped: the next request gets a new one.
    assertThat(call()).isEqualTo("ok");
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void aResponseWithConnectionCloseIsNotReusedAndTheClientClosesIt() throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    serve(
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.write(
                  "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
              connection.awaitClientClose();
              closedByClient.countDown();
            }));

    assertThat(call()).isEqualTo("ok");
    assertThat(closedByClient.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(call()).isEqualTo("ok");

    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void bytesAfterTheEndOfAResponseAreNeverReadAsTheNextResponse() throws IOException {
    serve(
        LoopbackServer.start(
            connection -> {
              for (LoopbackServer.Request r; (r = connection.readRequest()) != null; ) {
                // The first connection sends a second, unasked-for response right after the first.
                connection.write(
                    r.connection() == 1
                        ? OK + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
              }
            }),
        Duration.ofSeconds(4),
        NEVER);

    assertThat(call()).isEqualTo("ok");

    assertThat(call()).isEqualTo("fresh");
    assertThat(server.acceptedConnections()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTX/1.1 200 OK",
        "HTTP/1.1 2x0 OK",
        "HTTP/1.1 +20 OK",
        "HTTP/1.1 200OK",
        "HTTP/1.1200 OK",
        "SSH-2.0-OpenSSH_9.6"
      })
  void aMalformedStatusLineIsAClearError(String statusLine) throws IOException {
    serve(LoopbackServer.answering(statusLine + "\r\nContent-Length: 0\r\n\r\n"));

    ProviderException e = catchThrowableOfType(ProviderException.class, this::post);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
    assertThat(e).hasCauseInstanceOf(ProtocolException.class);
    assertThat(e.getMessage())
        .startsWith("the upstream's response is not valid HTTP/1.1: ")
        .contains('"' + statusLine + '"');
  }

  @Test
  void aHeadBeyondTheLimitNamesTheLimitAndInterimResponsesCount() throws IOException {
    serve(
        LoopbackServer.answering(
            "HTTP/1.1 100 Continue\r\n\r\n".repeat(Http1Response.MAX_HEAD_BYTES / 25) + OK));

    ProviderException e = catchThrowableOfType(ProviderException.class, this::post);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
    assertThat(e.getMessage())
        .endsWith("the response head is longer than " + Http1Response.MAX_HEAD_BYTES + " bytes");
  }

  @Test
  void aMalformedChunkSizeIsAProtocolError() throws IOException {
    serve(
        LoopbackServer.answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n"));

    try (Exchange exchange = post()) {
      InputStream body = exchange.body();

      assertThat(catchThrowableOfType(ProtocolException.class, body::readAllBytes))
          .hasMessage("bad chunk size line: \"zz\"");
    }
  }

  /** The deadline's abort path: another thread closes the exchange while its reader waits. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aReadStalledMidBodyFailsWhenAnotherThreadCloses(boolean virtualReader) throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    serve(
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nten bytes.");
              connection.awaitClientClose();
              closedByClient.countDown();
            }));
    Exchange exchange = post();
    CompletableFuture<Throwable> readerFailure = new CompletableFuture<>();
    Thread reader =
        (virtualReader ? Thread.ofVirtual() : Thread.ofPlatform())
            .start(() -> readerFailure.complete(readToFailure(exchange.body())));
    await().atMost(HANG_LIMIT).until(() -> waitsForTheSocket(reader));

    assertTimeoutPreemptively(HANG_LIMIT, exchange::close);

    assertThat(readerFailure.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(closedByClient.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private static Throwable readToFailure(InputStream body) {
    try {
      body.readAllBytes();
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static boolean waitsForTheSocket(Thread reader) {
    return Arrays.stream(reader.getStackTrace())
        .anyMatch(
            frame ->
                frame.getClassName().equals(Http1Connection.class.getName())
                    && frame.getMethodName().equals("fill"));
  }
}
