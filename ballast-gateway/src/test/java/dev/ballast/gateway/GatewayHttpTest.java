package dev.ballast.gateway;

import static dev.ballast.gateway.TestGateway.KEY;
import static dev.ballast.gateway.TestGateway.chat;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.RunStatus;
import dev.ballast.core.journal.RunSummary;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayHttpTest {
  @TempDir static Path dataDir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = new TestGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static List<JournalEntry> journal(HttpResponse<?> response) {
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    assertThat(gw.gateway.journal().flush(Duration.ofSeconds(10))).isTrue();
    return gw.gateway.store().journal().events(runId);
  }

  @Test
  void answersAChatCompletionAndJournalsTheRun() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("default", false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.at("/choices/0/message/content").asText()).contains("hello gateway");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    List<JournalEntry> events = journal(response);
    assertThat(events)
        .extracting(e -> e.event().typeName())
        .containsExactly("RunStarted", "ProviderAttempt", "RunCompleted");
    var attempt = (JournalEvent.ProviderAttempt) events.get(1).event();
    assertThat(attempt.deployment()).isEqualTo("sim");
    assertThat(attempt.cost()).isGreaterThan(0);
    assertThat(attempt.rawResponse()).isNotNull();
    RunSummary run = gw.gateway.store().journal().findRun(events.get(0).runId()).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.tenant()).isEqualTo("team");
  }

  @Test
  void failsOverA503ToTheHealthyDeploymentBeforeRetryingAndJournalsEveryAttempt() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("failover", false));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JournalEntry> events = journal(response);
    assertThat(events)
        .extracting(e -> e.event().typeName())
        .containsExactly("RunStarted", "ProviderAttempt", "ProviderAttempt", "RunCompleted");
    var first = (JournalEvent.ProviderAttempt) events.get(1).event();
    assertThat(first.outcome()).isEqualTo("server_error");
    assertThat(first.deployment()).isEqualTo("down");
    assertThat(first.decision()).isEqualTo("failover:sim");
    assertThat(first.breakerState()).isEqualTo("closed");
    var completed = (JournalEvent.RunCompleted) events.get(3).event();
    assertThat(completed.deployment()).isEqualTo("sim");
    // Honest accounting: the answer's model and usage are the fallback's; failed attempts cost
    // nothing here and are never billed as the completion.
    JsonNode body = json(response.body());
    assertThat(body.get("model").asText()).isEqualTo(completed.responseModel()).isEqualTo("sim");
    assertThat(body.at("/usage/completion_tokens").asInt())
        .isEqualTo(completed.usage().outputTokens());
    assertThat(first.cost()).isZero();
    assertThat(completed.cost())
        .isEqualTo(((JournalEvent.ProviderAttempt) events.get(2).event()).cost());
  }

  @Test
  void aFailedRouteAnswersInTheOpenAiErrorShape() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("all-down", false));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("server_error");
    assertThat(journal(response))
        .last()
        .extracting(e -> e.event().typeName())
        .isEqualTo("RunFailed");
  }

  @Test
  void contextLengthIsAClientErrorAndIsNotFailedOverToAnyDeployment() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("ctx", false));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/code").asText())
        .isEqualTo("context_length_exceeded");
    assertThat(journal(response))
        .filteredOn(e -> e.event() instanceof JournalEvent.ProviderAttempt)
        .hasSize(1);
  }

  @Test
  void streamsAnswersAsServerSentEventsEndingWithDone() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("default", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void aStreamCutAfterTheFirstTokenEndsWithAnErrorNeverWithDone() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("cut", true));

    assertThat(response.body())
        .contains("\"content\"")
        .contains("\"error\"")
        .doesNotContain("[DONE]")
        .doesNotContain("\"finish_reason\":\"stop\"");
    var failed = (JournalEvent.RunFailed) journal(response).getLast().event();
    assertThat(failed.truncated()).isTrue();
    assertThat(failed.errorClass()).isEqualTo("stream_truncated");
  }

  @Test
  void unwrapsFencedJsonForStructuredOutputAndRecordsTheRepair() {
    String body =
        """
        {"model":"fenced","messages":[{"role":"user","content":"city?"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"c","schema":
           {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}""";

    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(json(response.body()).at("/choices/0/message/content").asText()).has("city"))
        .isTrue();
    var attempt = (JournalEvent.ProviderAttempt) journal(response).get(1).event();
    assertThat(attempt.repairs()).contains("fenced_json_unwrapped");
  }

  @Test
  void outputViolatingTheSchemaIsA502FormatErrorNeverASuccess() {
    String body =
        """
        {"model":"default","messages":[{"role":"user","content":"city?"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"c","schema":
           {"type":"object","properties":{"city":{"type":"string","minLength":3}},"required":["city"]}}}}""";

    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, body);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("upstream_format_error");
    assertThat(json(response.body()).at("/error/message").asText()).contains("city");
    var attempt = (JournalEvent.ProviderAttempt) journal(response).get(1).event();
    assertThat(attempt.outcome()).isEqualTo("format_violation");
  }

  @Test
  void servesTheAnthropicMessagesFrontDoor() {
    String body =
        """
        {"model":"default","max_tokens":64,"system":"be brief","messages":[{"role":"user","content":"hi"}]}""";

    HttpResponse<String> response = gw.post("/v1/messages", KEY, body);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode message = json(response.body());
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void anthropicErrorsUseTheAnthropicShape() {
    HttpResponse<String> response =
        gw.post("/v1/messages", KEY, "{\"model\":\"default\",\"messages\":[]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("type").asText()).isEqualTo("error");
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void redactsContentBeforeItIsPersisted() {
    String body =
        chat("default", false).replace("hello gateway", "card 4111-1111-1111-1111 please");

    HttpResponse<String> response = gw.post("/v1/chat/completions", TestGateway.REDACTED_KEY, body);

    assertThat(response.statusCode()).isEqualTo(200);
    var started = (JournalEvent.RunStarted) journal(response).getFirst().event();
    String persisted =
        new String(gw.gateway.store().journal().blob(started.request().hash()).orElseThrow());
    assertThat(persisted).contains("[REDACTED]").doesNotContain("4111-1111-1111-1111");
  }

  @Test
  void storesNoContentForATenantWithCaptureOff() {
    HttpResponse<String> response =
        gw.post("/v1/chat/completions", TestGateway.NO_CAPTURE_KEY, chat("default", false));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JournalEntry> events = journal(response);
    assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.event().payloads()).isEmpty());
    assertThat(((JournalEvent.ProviderAttempt) events.get(1).event()).usage()).isNotNull();
  }

  @Test
  void aClientThatDisconnectsMidStreamLeavesATerminalEvent() throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gw.gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + KEY)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("slow", true)))
            .build();
    HttpResponse<java.io.InputStream> response =
        gw.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();
    try (java.io.InputStream body = response.body()) {
      assertThat(body.readNBytes(64)).hasSize(64);
    }

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              gw.gateway.journal().flush(Duration.ofSeconds(1));
              List<JournalEntry> events = gw.gateway.store().journal().events(runId);
              assertThat(events)
                  .last()
                  .satisfies(
                      e -> {
                        assertThat(e.event()).isInstanceOf(JournalEvent.RunFailed.class);
                        assertThat(((JournalEvent.RunFailed) e.event()).errorClass())
                            .isEqualTo("client_disconnected");
                      });
            });
  }

  @Test
  void runsApiShowsTheCallersRunsOnly() {
    HttpResponse<String> response = gw.post("/v1/chat/completions", KEY, chat("default", false));
    String runId = response.headers().firstValue("x-ballast-run-id").orElseThrow();

    HttpResponse<String> mine = gw.get("/v1/ballast/runs/" + runId, KEY);
    HttpResponse<String> theirs = gw.get("/v1/ballast/runs/" + runId, TestGateway.OTHER_KEY);
    HttpResponse<String> list = gw.get("/v1/ballast/runs?limit=5&status=succeeded", KEY);

    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(json(mine.body()).get("journal")).hasSize(3);
    assertThat(json(mine.body()).at("/journal/0/event/request/content/model").asText())
        .isEqualTo("default");
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(json(list.body()).get("data"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.get("tenant").asText()).isEqualTo("team"));
  }

  @Test
  void embeddingsAreServedAndJournaled() {
    HttpResponse<String> response =
        gw.post("/v1/embeddings", KEY, "{\"model\":\"default\",\"input\":[\"a\",\"b\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).get("data")).hasSize(2);
    assertThat(journal(response))
        .last()
        .extracting(e -> e.event().typeName())
        .isEqualTo("RunCompleted");
  }
}
