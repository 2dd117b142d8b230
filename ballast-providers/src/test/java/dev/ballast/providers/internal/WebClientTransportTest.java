package dev.ballast.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link WebClientTransport} aborts an exchange that has no response yet: by interrupting the
 * virtual thread blocked in it, and only while it is in it, so that the caller is never left
 * interrupted. (The platform-thread path runs in {@link TransportDeadlineTest}.)
 */
class WebClientTransportTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private LoopbackServer server;
  private WebClientTransport transport;

  @AfterEach
  void tearDown() throws IOException {
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private record Outcome(Throwable failure, boolean interruptedAfter) {}

  private Outcome onAVirtualThread(Timeouts timeouts) throws Exception {
    URI uri = server.baseUrl().resolve("/v1/chat/completions");
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              Throwable failure = null;
              try (Exchange exchange =
                  transport.post(
                      uri, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), timeouts, false)) {
                exchange.bodyAsString();
              } catch (Throwable t) {
                failure = t;
              }
              outcome.complete(new Outcome(failure, Thread.currentThread().isInterrupted()));
            });
    return outcome.get(10, TimeUnit.SECONDS);
  }

  @Test
  void silenceBeforeTheHeadersEndsAVirtualCallerAtTheFirstTokenTimeoutWithoutLeavingItInterrupted()
      throws Exception {
    server =
        LoopbackServer.start(
            connection -> {
              connection.readRequest();
              connection.awaitClientClose();
            });
    transport = new WebClientTransport();

    Outcome outcome = onAVirtualThread(new Timeouts(LONG, Duration.ofMillis(300), LONG, LONG));

    assertThat(outcome.failure()).isInstanceOf(ProviderException.class);
    assertThat(((ProviderException) outcome.failure()).errorClass()).isEqualTo(ErrorClass.SILENCE);
    assertThat(outcome.interruptedAfter()).isFalse();
  }

  @Test
  void aCallThatSucceedsLeavesTheCallerUninterruptedAndTheConnectionPooled() throws Exception {
    server = LoopbackServer.start(TransportConformance.answering(TransportConformance.OK));
    transport = new WebClientTransport();

    for (int i = 0; i < 3; i++) {
      Outcome outcome = onAVirtualThread(Timeouts.DEFAULT);
      assertThat(outcome.failure()).isNull();
      assertThat(outcome.interruptedAfter()).isFalse();
    }

    assertThat(server.acceptedConnections()).isEqualTo(1);
  }
}
