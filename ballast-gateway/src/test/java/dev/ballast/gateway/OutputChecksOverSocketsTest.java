package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.NO_CAPTURE_KEY;
import static dev.ballast.gateway.TestGateway.chat;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.config.ConfigLoader;
import dev.ballast.core.journal.IdentityMismatch;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.simulator.Attempt;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output checks and version pins end to end: the gateway over real sockets in front of a standalone
 * simulator whose deployments change behaviour at an onset (after N requests) or when the test
 * switches them through the simulator's admin call, as an operator rehearsing a provider's silent
 * change would. Each scenario has its own deployments, so no breaker or onset counter is shared.
 */
class OutputChecksOverSocketsTest {
  private static final String REFUSES_AFTER_TWO = "sim:tokens=8,onset=2req,refusal=1";
  private static final String REFUSES = "sim:refusal=1";

  @TempDir static Path dataDir;
  static Gateway gateway;
  static Simulator simulator;
  static SimulatorServer upstream;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    simulator =
        new Simulator(
            42,
            Clock.systemUTC(),
            Map.of(
                "pinned-fail", "model_id=gpt-4o-2024-08-06,fingerprint=fp_1",
                "pinned-record",
                    "model_id=gpt-4o-2024-08-06,fingerprint=fp_1,onset=1req,"
                        + "model_id=gpt-4o-2024-11-20,fingerprint=fp_2",
                "claude-record",
                    "model_id=claude-sonnet-4-5-20250929,onset=1req,model_id=claude-sonnet-4-6"));
    upstream = simulator.server(0);
    String base = upstream.baseUri().toString().replaceAll("/$", "");
    String yaml =
        """
        server: {port: 0}
        resilience: {deadline: 20s}
        providers:
          sim: {type: simulator, base_url: "%s/v1"}
          ant: {type: anthropic, base_url: "%s", api_key: "sk-ant-test"}
        deployments:
          refuses-later: {provider: sim, model: "%s"}
          answers: {provider: sim, model: "sim:tokens=8"}
          refuses: {provider: sim, model: "%s"}
          refuses-for-hold: {provider: sim, model: "sim:refusal=1,tokens=6"}
          answers-for-hold: {provider: sim, model: "sim:tokens=6"}
          pinned-fail:
            provider: sim
            model: pinned-fail
            expect: {model: gpt-4o-2024-08-06, fingerprint: [fp_1], on_mismatch: fail}
          backup: {provider: sim, model: "sim:model_id=backup-model"}
          pinned-record: {provider: sim, model: pinned-record, expect: {model: gpt-4o-2024-08-06, fingerprint: fp_1}}
          claude: {provider: ant, model: claude-record, expect: {model: claude-sonnet-4-5-20250929}}
        groups:
          checked:
            deployments: [refuses-later, answers]
            checks: {non_empty: true, max_chars: 2000, refusal: ["(?i)can't help"]}
          all-refuse: {deployments: [refuses], checks: {refusal: ["(?i)can't help", "(?i)sorry"]}}
          stream-held:
            deployments: [refuses-for-hold, answers-for-hold]
            checks: {refusal: ["(?i)can't help"], stream: hold}
          stream-recorded: {deployments: [refuses], checks: {refusal: ["(?i)can't help"]}}
          strict: {deployments: [pinned-fail, backup]}
          recorded: {deployments: [pinned-record]}
          claude: {deployments: [claude]}
        tenants:
          team: {keys: ["%s"]}
          private: {keys: ["%s"], capture: false}
        """
            .formatted(
                base,
                base,
                REFUSES_AFTER_TWO,
                REFUSES,
                ConfigLoader.hashKey(KEY),
                ConfigLoader.hashKey(NO_CAPTURE_KEY));
    BallastConfig config = ConfigLoader.parse("checks", yaml, Map.of());
    gateway = Gateway.start(config.withServer(config.server().withDataDir(dataDir)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void aDeploymentThatStartsRefusingFailsOverAndTheJournalNamesTheRule() {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> before = send("/v1/chat/completions", KEY, chat("checked", false));
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(journaled(before)).singleElement().satisfies(a -> assertThat(a.ok()).isTrue());
    }

    HttpResponse<String> after = send("/v1/chat/completions", KEY, chat("checked", false));

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(json(after.body()).at("/choices/0/message/content").asText())
        .startsWith("Simulated answer");
    assertThat(simulator.attempts(REFUSES_AFTER_TWO))
        .extracting(Attempt::outcome)
        .containsExactly("ok", "ok", "refusal");
    List<ProviderAttempt> attempts = journaled(after);
    assertThat(attempts)
        .extracting(ProviderAttempt::deployment)
        .containsExactly("refuses-later", "answers");
    ProviderAttempt refused = attempts.getFirst();
    assertThat(refused.failure()).contains(ErrorClass.OUTPUT_CHECK_FAILED);
    assertThat(refused.decision()).isEqualTo("failover:answers");
    assertThat(refused.checkFailures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("refusal[0]");
              assertThat(f.enforced()).isTrue();
              assertThat(f.reason()).doesNotContain("sorry");
            });
    // The refused answer is content: kept under the tenant's capture policy, like any answer.
    assertThat(refused.rawResponse()).isNotNull();
  }

  @Test
  void aTenantWithoutCaptureKeepsTheRuleButNotTheRefusedAnswer() {
    HttpResponse<String> response =
        send("/v1/chat/completions", NO_CAPTURE_KEY, chat("all-refuse", false));

    assertThat(response.statusCode()).isEqualTo(502);
    ProviderAttempt refused = journaled(response).getFirst();
    assertThat(refused.checkFailures())
        .extracting(OutputCheckFailure::rule)
        .containsExactly("refusal[0]", "refusal[1]");
    assertThat(refused.rawResponse()).isNull();
    assertThat(refused.error()).doesNotContainIgnoringCase("i'm sorry");
  }

  @Test
  void whenNoAnswerPassesTheClientGetsA502NamingTheCheck() {
    HttpResponse<String> response = send("/v1/chat/completions", KEY, chat("all-refuse", false));

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("output_check_failed");
    assertThat(error.path("message").asText()).contains("refusal[0]").contains("all-refuse");
  }

  @Test
  void aHeldBackStreamFailsOverBeforeTheClientSeesTheRefusal() {
    HttpResponse<String> response = send("/v1/chat/completions", KEY, chat("stream-held", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("Simulated answer")
        .doesNotContain("sorry")
        .endsWith("data: [DONE]\n\n");
    List<ProviderAttempt> attempts = journaled(response);
    assertThat(attempts.getFirst().checkFailures().getFirst().enforced()).isTrue();
    assertThat(attempts.get(1).ok()).isTrue();
  }

  @Test
  void aStreamThatIsNotHeldBackIsRecordedNotEnforced() {
    HttpResponse<String> response =
        send("/v1/chat/completions", KEY, chat("stream-recorded", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("sorry").endsWith("data: [DONE]\n\n");
    ProviderAttempt only = journaled(response).getFirst();
    assertThat(only.ok()).isTrue();
    assertThat(only.checkFailures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("refusal[0]");
              assertThat(f.enforced()).isFalse();
            });
  }

  @Test
  void aPinnedDeploymentThatFailsOnMismatchFailsOverWhenItsModelChanges() throws Exception {
    HttpResponse<String> before = send("/v1/chat/completions", KEY, chat("strict", false));
    assertThat(json(before.body()).path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(journaled(before).getFirst().identityMismatch()).isNull();

    HttpResponse<String> switched =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(upstream.baseUri() + "/_sim/switch"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"pinned-fail\",\"directives\":\"model_id=gpt-4o-2024-11-20\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(switched.statusCode()).isEqualTo(200);

    HttpResponse<String> after = send("/v1/chat/completions", KEY, chat("strict", false));

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(json(after.body()).path("model").asText()).isEqualTo("backup-model");
    ProviderAttempt changed = journaled(after).getFirst();
    assertThat(changed.failure()).contains(ErrorClass.MODEL_CHANGED);
    assertThat(changed.decision()).isEqualTo("failover:backup");
    assertThat(changed.responseModel()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(changed.identityMismatch().changed()).containsExactly(IdentityMismatch.MODEL);
    assertThat(changed.identityMismatch().onMismatch()).isEqualTo("fail");
  }

  @Test
  void aRecordingPinPassesTheAnswerAndTheJournalMarksTheChange() {
    HttpResponse<String> first = send("/v1/chat/completions", KEY, chat("recorded", false));
    assertThat(journaled(first).getFirst().identityMismatch()).isNull();

    HttpResponse<String> second = send("/v1/chat/completions", KEY, chat("recorded", false));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(json(second.body()).path("model").asText()).isEqualTo("gpt-4o-2024-11-20");
    ProviderAttempt marked = journaled(second).getFirst();
    assertThat(marked.ok()).isTrue();
    IdentityMismatch mismatch = marked.identityMismatch();
    assertThat(mismatch.changed())
        .containsExactly(IdentityMismatch.MODEL, IdentityMismatch.SYSTEM_FINGERPRINT);
    assertThat(mismatch.model()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(mismatch.systemFingerprint()).isEqualTo("fp_2");
    assertThat(mismatch.onMismatch()).isEqualTo("record");
  }

  @Test
  void aModelChangeOnTheAnthropicWireIsMarkedToo() {
    HttpResponse<String> first = send("/v1/chat/completions", KEY, chat("claude", false));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(journaled(first).getFirst().identityMismatch()).isNull();

    HttpResponse<String> second = send("/v1/chat/completions", KEY, chat("claude", false));

    IdentityMismatch mismatch = journaled(second).getFirst().identityMismatch();
    assertThat(mismatch.model()).isEqualTo("claude-sonnet-4-6");
    assertThat(mismatch.expectedModel()).isEqualTo("claude-sonnet-4-5-20250929");
  }

  private static HttpResponse<String> send(String path, String key, String body) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
              .timeout(Duration.ofSeconds(30))
              .header("authorization", "Bearer " + key)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ProviderAttempt> journaled(HttpResponse<?> response) {
    gateway.journal().flush(Duration.ofSeconds(10));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    return gateway.store().journal().events(runId).stream()
        .map(JournalEntry::event)
        .filter(JournalEvent.ProviderAttempt.class::isInstance)
        .map(JournalEvent.ProviderAttempt.class::cast)
        .toList();
  }
}
