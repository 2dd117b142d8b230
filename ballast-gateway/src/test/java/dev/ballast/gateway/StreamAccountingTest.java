package dev.ballast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal records what the client received and what the provider bills: a stream cut after
 * tokens reached the client is journaled as the 200 the client got (with the error class of its
 * in-band error), and its attempt carries the delivered tokens (estimated, marked) and their cost;
 * a client that walks away mid-stream leaves an attempt with its tokens too. Before, both recorded
 * 0 tokens and $0, and the cut stream recorded a 502.
 */
class StreamAccountingTest {
  @TempDir static Path dataDir;
  static Gateway gateway;

  @BeforeAll
  static void start() {
    String yaml =
        """
        server: {port: 0}
        providers: {sim: {type: simulator}}
        deployments:
          cut: {provider: sim, model: "sim:cut_after=3,tokens=10", price: {input: 1.0, output: 1000.0}}
          slow: {provider: sim, model: "sim:token_delay=50ms,tokens=200", price: {input: 1.0, output: 1000.0}}
        groups:
          cut: {deployments: [cut], continue_streams: false}
          slow: {deployments: [slow]}
        tenants: {team: {keys: ["%s"]}}
        """
            .formatted(ConfigLoader.hashKey(TestGateway.KEY));
    BallastConfig config = ConfigLoader.parse("accounting", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aStreamCutAfterTokensIsJournaledAsThe200TheClientGotWithTheTokensDelivered()
      throws Exception {
    String answer = stream("cut", Integer.MAX_VALUE);
    assertThat(answer).startsWith("HTTP/1.1 200").contains("\"error\"").doesNotContain("[DONE]");

    List<JournalEntry> journal = journalOf(answer);
    RunFailed failed = last(journal, RunFailed.class);
    assertThat(failed.httpStatus()).isEqualTo(200);
    assertThat(failed.truncated()).isTrue();
    ProviderAttempt attempt = last(journal, ProviderAttempt.class);
    assertThat(attempt.ok()).isFalse();
    assertThat(attempt.usage().outputTokens()).isPositive();
    assertThat(attempt.usage().estimated()).isTrue();
    assertThat(attempt.cost()).isPositive();
    assertThat(attempt.ttftMs()).isNotNull();
  }

  @Test
  void aClientThatLeavesMidStreamLeavesAnAttemptWithItsTokens() throws Exception {
    String partial = stream("slow", 2_000);
    assertThat(partial).startsWith("HTTP/1.1 200");

    String runId = runId(partial);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              gateway.journal().flush(Duration.ofSeconds(5));
              List<JournalEntry> journal = gateway.store().journal().events(runId);
              assertThat(last(journal, RunFailed.class).errorClass())
                  .isEqualTo("client_disconnected");
              ProviderAttempt attempt = last(journal, ProviderAttempt.class);
              assertThat(attempt.outcome()).isEqualTo(ProviderAttempt.CLIENT_DISCONNECTED);
              assertThat(attempt.usage().outputTokens()).isPositive();
              assertThat(attempt.cost()).isPositive();
            });
  }

  /** A streamed chat over a raw socket, read up to {@code maxBytes} (then the client hangs up). */
  private static String stream(String model, int maxBytes) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (Socket socket = RawHttp.connect(gateway.port())) {
      socket
          .getOutputStream()
          .write(
              RawHttp.ascii(
                  RawHttp.post("/v1/chat/completions", body.length())
                          .replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                      + body));
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      StringBuilder text = new StringBuilder();
      byte[] buffer = new byte[512];
      for (int n = in.read(buffer); n >= 0 && text.length() < maxBytes; n = in.read(buffer)) {
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (text.indexOf("data: [DONE]") >= 0 || text.indexOf("\r\n0\r\n\r\n") >= 0) {
          break;
        }
      }
      return text.toString();
    }
  }

  private static List<JournalEntry> journalOf(String answer) {
    String runId = runId(answer);
    assertThat(gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gateway.store().journal().events(runId);
  }

  private static String runId(String answer) {
    int at = answer.toLowerCase().indexOf("x-ballast-run-id: ");
    assertThat(at).as(answer).isNotNegative();
    return answer.substring(at + "x-ballast-run-id: ".length(), answer.indexOf("\r\n", at)).trim();
  }

  private static <E> E last(List<JournalEntry> journal, Class<E> type) {
    return journal.stream()
        .map(JournalEntry::event)
        .filter(type::isInstance)
        .map(type::cast)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + journal));
  }
}
