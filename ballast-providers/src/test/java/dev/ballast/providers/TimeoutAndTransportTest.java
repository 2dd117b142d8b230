package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Every deadline of an attempt against a server that misbehaves on a real socket. Timeouts are
 * short, and each call is bounded by a generous preemptive limit so that a regression shows up as a
 * failure rather than a hung build; the limits never decide a pass on their own.
 */
class TimeoutAndTransportTest {
  private static final Duration FIRST_TOKEN = Duration.ofMillis(1500);
  private static final Duration IDLE = Duration.ofMillis(1000);
  private static final Duration HANG_LIMIT = Duration.ofSeconds(10);
  private static final CallOptions OPTIONS =
      new CallOptions(
          "gpt-4o-mini",
          new Timeouts(Duration.ofSeconds(2), FIRST_TOKEN, IDLE, Duration.ofSeconds(6)));
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "Hello?")));

  private WireServer server;
  private Provider provider;

  @AfterEach
  void tearDown() throws IOException {
    if (provider != null) {
      provider.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void serve(WireServer.Script script) throws IOException {
    server = WireServer.start(script);
    provider = openAi(server.baseUrl().resolve("/v1"));
  }

  private static Provider openAi(URI baseUrl) {
    return Providers.create(
        ProviderSettings.of("openai-main", ProviderApi.OPENAI).withBaseUrl(baseUrl));
  }

  private static ProviderException failure(ThrowingSupplier<?> call) {
    return catchThrowableOfType(
        ProviderException.class, () -> assertTimeoutPreemptively(HANG_LIMIT, call));
  }

  @Test
  void aServerThatSendsNothingIsSilence() throws Exception {
    serve((request, wire) -> wire.hang());
    long start = System.nanoTime();

    ProviderException e = failure(() -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void headersWithoutABodyAreSilenceForAPlainCall() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/json");
          wire.hang();
        });

    ProviderException e = failure(() -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
  }

  @Test
  void aStreamWithHeadersButNoContentIsASlowFirstToken() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"role\":\"assistant\",\"content\":\"\"", null));
          wire.hang();
        });

    ProviderException e = failure(() -> provider.chatStream(QUESTION, OPTIONS, d -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SLOW_FIRST_TOKEN);
  }

  @Test
  void aStreamThatStopsSendingIsAStall() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Once upon\"", null));
          wire.hang();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e = failure(() -> provider.chatStream(QUESTION, OPTIONS, deltas::add));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_STALL);
    assertThat(deltas).extracting(ChatDelta::content).containsExactly("Once upon");
  }

  @Test
  void aStreamThatFinishedAndThenWentQuietIsFinalized() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"All said\"", "\"stop\""));
          wire.hang();
        });

    ChatResponse response =
        assertTimeoutPreemptively(
            HANG_LIMIT, () -> provider.chatStream(QUESTION, OPTIONS, d -> {}));

    assertThat(response.message().text()).isEqualTo("All said");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.MISSING_STREAM_TERMINATOR);
  }

  @Test
  void theTotalTimeoutBoundsAStreamThatIsStillWithinItsIdleTimeout() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          wire.chunk(Payloads.openAiChunk("\"content\":\"Slowly\"", null));
          wire.hang();
        });
    Timeouts longIdle =
        new Timeouts(
            Duration.ofSeconds(2), FIRST_TOKEN, Duration.ofSeconds(8), Duration.ofSeconds(3));

    ProviderException e =
        failure(() -> provider.chatStream(QUESTION, new CallOptions("m", longIdle), d -> {}));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    provider = openAi(URI.create("http://127.0.0.1:" + port + "/v1"));

    ProviderException e = failure(() -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_REFUSED);
  }

  @Test
  void aResetBeforeTheHeadersIsConnectionReset() throws Exception {
    serve((request, wire) -> wire.reset());

    ProviderException e = failure(() -> provider.chat(QUESTION, OPTIONS));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  @Test
  void theConnectionIsReleasedSoTheNextCallSucceeds() throws Exception {
    serve(
        (request, wire) -> {
          if (server.requests().size() == 1) {
            wire.hang();
          } else {
            wire.respond(200, Payloads.OPENAI_TEXT);
          }
        });

    assertThat(failure(() -> provider.chat(QUESTION, OPTIONS)).errorClass())
        .isEqualTo(ErrorClass.SILENCE);
    ChatResponse response =
        assertTimeoutPreemptively(HANG_LIMIT, () -> provider.chat(QUESTION, OPTIONS));

    assertThat(response.message().text()).isEqualTo("It is sunny in Oslo.");
  }
}
