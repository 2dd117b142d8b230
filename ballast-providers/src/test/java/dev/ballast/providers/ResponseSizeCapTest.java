package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream that sends more than {@code max_response_bytes} fails the attempt as {@code
 * upstream_response_too_large} instead of filling the heap: a declared length over the cap before
 * anything is read, a chunked body or a stream as soon as it passes the cap.
 */
class ResponseSizeCapTest {
  private static final long CAP = 4096;
  private static final CallOptions OPTIONS = new CallOptions("m", Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("m", List.of(Message.text(Role.USER, "hi")));

  private WireServer server;
  private Provider provider;

  @AfterEach
  void tearDown() throws IOException {
    provider.close();
    server.close();
  }

  private void serve(WireServer.Script script) throws IOException {
    server = WireServer.start(script);
    provider =
        Providers.create(
            ProviderSettings.of("capped", ProviderApi.OPENAI)
                .withBaseUrl(server.baseUrl().resolve("/v1"))
                .withMaxResponseBytes(CAP));
  }

  @Test
  void aDeclaredLengthOverTheCapFailsAsTooLarge() throws Exception {
    serve((request, wire) -> wire.respond(200, "x".repeat((int) CAP * 2)));

    assertThat(failure(() -> provider.chat(QUESTION, OPTIONS)).errorClass())
        .isEqualTo(ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE);
  }

  @Test
  void aChunkedBodyThatKeepsComingFailsAsTooLarge() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/json");
          for (int i = 0; i < 100; i++) {
            wire.chunk("x".repeat(1024));
          }
          wire.endStream();
        });

    assertThat(failure(() -> provider.chat(QUESTION, OPTIONS)).errorClass())
        .isEqualTo(ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE);
  }

  @Test
  void aStreamPastTheCapFailsAsTooLarge() throws Exception {
    String event =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}]}\n\n";
    serve(
        (request, wire) -> {
          wire.startStream("text/event-stream");
          for (int i = 0; i < 200; i++) {
            wire.chunk(event);
          }
          wire.chunk("data: [DONE]\n\n");
          wire.endStream();
        });

    ProviderException e = failure(() -> provider.chatStream(QUESTION, OPTIONS, delta -> {}));
    assertThat(e.errorClass()).isEqualTo(ErrorClass.UPSTREAM_RESPONSE_TOO_LARGE);
    assertThat(e.getMessage()).contains("max_response_bytes");
  }

  private static ProviderException failure(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    return catchThrowableOfType(ProviderException.class, call);
  }
}
