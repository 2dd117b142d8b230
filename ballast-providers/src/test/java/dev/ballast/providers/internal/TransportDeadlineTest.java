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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each deadline of an attempt ends a silent exchange on every transport: the plain-http client, the
 * JDK client (here over plain http) and the WebClient, long before any other deadline would. The
 * deadline under test is short and every other one is longer than the preemptive limit, so a
 * deadline that is never armed fails the test instead of passing late.
 */
class TransportDeadlineTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration HANG_LIMIT = Duration.ofSeconds(10);
  private static final String SSE_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

  enum Kind {
    HTTP1,
    JDK,
    WEBCLIENT;

    Transport open(URI baseUrl) {
      return switch (this) {
        case HTTP1 -> new Http1Transport(baseUrl);
        case JDK -> new HttpTransport(baseUrl);
        case WEBCLIENT -> new WebClientTransport();
      };
    }
  }

  private LoopbackServer server;
  private Transport transport;

  @AfterEach
  void tearDown() throws IOException {
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Answers the first request with {@code head}, then says nothing until the client hangs up. */
  private void serveThenGoQuiet(Kind kind, String head) throws IOException {
    server =
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              if (!head.isEmpty()) {
                connection.write(head);
              }
              connection.awaitClientClose();
            });
    transport = kind.open(server.baseUrl());
  }

  private Exchange post(Timeouts timeouts, boolean stream) {
    return transport.post(
        server.baseUrl().resolve("/v1/chat/completions"),
        Map.of("Content-Type", "application/json"),
        "{}".getBytes(StandardCharsets.UTF_8),
        timeouts,
        stream);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aStreamThatStallsAfterItsFirstTokenEndsAtTheIdleTimeout(Kind kind) throws IOException {
    String chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    serveThenGoQuiet(
        kind, SSE_HEAD + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
    Timeouts idleOnly = new Timeouts(LONG, LONG, SHORT, LONG);

    ErrorClass expired =
        assertTimeoutPreemptively(
            HANG_LIMIT,
            () -> {
              try (Exchange exchange = post(idleOnly, true)) {
                InputStream body = exchange.body();
                assertThat(body.read(new byte[chunk.length()])).isPositive();
                exchange.guard().firstToken();
                catchThrowableOfType(IOException.class, body::readAllBytes);
                return exchange.guard().expiredAs();
              }
            });

    assertThat(expired).isEqualTo(ErrorClass.STREAM_STALL);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void headersWithoutABodyEndAPlainCallAtTheFirstTokenTimeout(Kind kind) throws IOException {
    serveThenGoQuiet(kind, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    Timeouts firstTokenOnly = new Timeouts(LONG, SHORT, LONG, LONG);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                assertTimeoutPreemptively(
                    HANG_LIMIT,
                    () -> {
                      try (Exchange exchange = post(firstTokenOnly, false)) {
                        return exchange.bodyAsString();
                      }
                    }));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void silenceBeforeTheHeadersEndsAPlainCallAtTheFirstTokenTimeout(Kind kind) throws IOException {
    serveThenGoQuiet(kind, "");
    Timeouts firstTokenOnly = new Timeouts(LONG, SHORT, LONG, LONG);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> assertTimeoutPreemptively(HANG_LIMIT, () -> post(firstTokenOnly, false)));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
  }
}
