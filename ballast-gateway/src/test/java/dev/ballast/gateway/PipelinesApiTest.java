package dev.ballast.gateway;

import static dev.ballast.gateway.PipelineGateway.KEY;
import static dev.ballast.gateway.PipelineGateway.OTHER_KEY;
import static dev.ballast.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /v1/pipelines} over real sockets on one node (role both) with the embedded store. */
class PipelinesApiTest {
  @TempDir static Path dataDir;
  static WebhookSink sink;
  static PipelineGateway node;

  @BeforeAll
  static void start() {
    sink = new WebhookSink();
    node = new PipelineGateway(dataDir, "sqlite:", "both", sink);
  }

  @AfterAll
  static void stop() {
    node.close();
    sink.close();
  }

  @Test
  void aRedactingTenantsPipelineContentIsJournaledRedacted() throws Exception {
    String card = "4111-1111-1111-1111";
    HttpResponse<String> created =
        node.post(
            "/v1/pipelines/shape/runs",
            PipelineGateway.REDACTED_KEY,
            "{\"input\":{\"n\":\"card " + card + "\"}}",
            null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created.body()).get("id").asText();
    await()
        .atMost(PipelineGateway.WAIT)
        .until(
            () ->
                json(node.get("/v1/pipelines/runs/" + id, PipelineGateway.REDACTED_KEY).body())
                    .get("state")
                    .asText()
                    .equals("succeeded"));
    assertThat(node.gateway.journal().flush(java.time.Duration.ofSeconds(10))).isTrue();

    List<String> journaled = new ArrayList<>();
    for (var entry : node.gateway.store().journal().events(id)) {
      for (var payload : entry.event().payloads()) {
        byte[] bytes =
            payload.bytes() != null
                ? payload.bytes()
                : node.gateway.store().journal().blob(payload.hash()).orElseThrow();
        journaled.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    // The input, the stage's output and the run's output, each with the number masked.
    assertThat(journaled).hasSize(3).allMatch(text -> text.contains("card [REDACTED]"));
    assertThat(String.join("\n", journaled)).doesNotContain(card);
  }

  @Test
  void aSubmittedRunExecutesEveryStageAndShowsEachStagesOutput() {
    HttpResponse<String> created =
        node.post(
            "/v1/pipelines/digest/runs",
            "{\"input\":{\"text\":\"ballast keeps ships upright\",\"id\":\"doc-7\"}}");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode run = json(created.body());
    String id = run.get("id").asText();
    assertThat(created.headers().firstValue("x-ballast-run-id")).hasValue(id);
    assertThat(run.get("pipeline").asText()).isEqualTo("digest");
    assertThat(run.get("tenant").asText()).isEqualTo("team");
    assertThat(run.get("input").get("id").asText()).isEqualTo("doc-7");
    assertThat(run.get("stages")).hasSize(3);

    JsonNode done = node.awaitState(id, "succeeded");
    assertThat(done.get("current_stage").isNull()).isTrue();
    assertThat(done.get("stage_index").asInt()).isEqualTo(3);
    assertThat(done.get("version").asText())
        .isEqualTo(node.gateway.config().pipeline("digest").orElseThrow().version());
    JsonNode stages = done.get("stages");
    assertThat(texts(stages, "name")).containsExactly("summarize", "shape", "notify");
    assertThat(texts(stages, "state")).containsOnly("completed");
    stages.forEach(s -> assertThat(s.get("attempts").asInt()).isEqualTo(1));
    String answer = stages.get(0).at("/output/text").asText();
    assertThat(answer).startsWith("Simulated answer to:").contains("Summarize: ballast");
    assertThat(stages.get(1).get("output").get("summary").asText()).isEqualTo(answer);
    String effectKey = id + "/notify/webhook";
    assertThat(stages.get(2).at("/output/effect_key").asText()).isEqualTo(effectKey);
    // The run's output is its last stage that is not an effect: the shaped summary, not the
    // webhook's receipt.
    assertThat(done.get("output")).isEqualTo(stages.get(1).get("output"));

    List<WebhookSink.Delivery> deliveries = sink.deliveriesFor(id);
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.get(0).idempotencyKey()).isEqualTo(effectKey);
    assertThat(json(deliveries.get(0).body()).get("summary").asText()).isEqualTo(answer);
    assertThat(json(deliveries.get(0).body()).get("doc").asText()).isEqualTo("doc-7");
  }

  @Test
  void aGenerateStagesProviderAttemptsAreAGatewayRunNamedInItsOutput() {
    String id = node.submit("digest", "{\"text\":\"find my attempts\",\"id\":\"d\"}");
    JsonNode done = node.awaitState(id, "succeeded");
    String callRunId = done.get("stages").get(0).at("/output/call_run_id").asText();
    // Run, stage, attempt and the lease (fence) it ran under.
    assertThat(callRunId).matches(java.util.regex.Pattern.quote(id + "/summarize/1@") + "[0-9]+");

    node.gateway.journal().flush(java.time.Duration.ofSeconds(5));
    HttpResponse<String> call = node.get("/v1/ballast/runs/" + callRunId);

    assertThat(call.statusCode()).isEqualTo(200);
    JsonNode journal = json(call.body()).get("journal");
    assertThat(texts(journal, "type"))
        .containsExactly("RunStarted", "ProviderAttempt", "RunCompleted");
    assertThat(journal.get(1).at("/event/deployment").asText()).isEqualTo("sim");
    assertThat(journal.get(0).at("/event/tenant").asText()).isEqualTo("team");
  }

  @Test
  void oneHundredConcurrentSubmissionsWithOneIdempotencyKeyMakeOneRun() throws Exception {
    List<HttpResponse<String>> responses = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return node.post(
                      "/v1/pipelines/shape/runs", KEY, "{\"input\":{\"n\":1}}", "order-42");
                }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> f : futures) {
        responses.add(f.get());
      }
    }

    assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201);
    assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
    assertThat(responses.stream().map(r -> json(r.body()).get("id").asText()).distinct())
        .hasSize(1);
    assertThat(
            responses.stream()
                .filter(r -> r.statusCode() == 200)
                .map(r -> r.headers().firstValue("x-ballast-idempotent-replayed").orElse("")))
        .hasSize(99)
        .containsOnly("true");
  }

  @Test
  void theSameIdempotencyKeyWithAnotherInputIsRefused() {
    HttpResponse<String> first =
        node.post("/v1/pipelines/shape/runs", KEY, "{\"input\":{\"n\":1}}", "key-reused");
    HttpResponse<String> second =
        node.post("/v1/pipelines/shape/runs", KEY, "{\"input\":{\"n\":2}}", "key-reused");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(422);
    assertThat(json(second.body()).at("/error/code").asText()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void anUnknownPipelineIsNotFoundAndNamesTheConfiguredOnes() {
    HttpResponse<String> response =
        node.post("/v1/pipelines/nope/runs", "{\"input\":{\"text\":\"x\"}}");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = json(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("not_found_error");
    assertThat(error.get("code").asText()).isEqualTo("unknown_pipeline");
    assertThat(error.get("message").asText())
        .isEqualTo("unknown pipeline \"nope\" (configured: digest, flaky, shape)");
  }

  @ParameterizedTest(name = "{0} → {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                          | invalid_json               | ",
        "{\"input\":                 | invalid_json               | ",
        "[1,2]                       | invalid_json               | ",
        "{}                          | missing_required_parameter | input",
        "{\"input\":null}            | missing_required_parameter | input",
        "{\"inputs\":{}}             | invalid_value              | inputs",
        "{\"input\":1,\"priority\":\"high\"} | invalid_type       | priority",
        "{\"input\":1,\"priority\":5000}     | invalid_value      | priority"
      })
  void aBadBodyIsA400NamingTheProblem(String body, String code, String param) {
    HttpResponse<String> response = node.post("/v1/pipelines/shape/runs", body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
      assertThat(error.get("message").asText()).contains(param);
    }
  }

  @Test
  void submittingWithoutAKeyIsUnauthorized() {
    HttpResponse<String> response =
        node.post("/v1/pipelines/shape/runs", null, "{\"input\":1}", null);

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @ParameterizedTest
  @CsvSource({
    "state=bogus, state",
    "limit=0, limit",
    "limit=many, limit",
    "state=dead%2Cnope, state"
  })
  void aBadListParameterIsA400NamingIt(String query, String param) {
    HttpResponse<String> response = node.get("/v1/pipelines/runs?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo(param);
  }

  @Test
  void aDeadRunShowsItsFailedStageAndResumesThereOnceTheSinkIsFixed() {
    sink.status.set(500);
    String id = node.submit("flaky", "{\"id\":\"doc-9\"}");

    JsonNode dead = node.awaitState(id, "dead");
    assertThat(dead.get("failed_stage").asText()).isEqualTo("notify");
    assertThat(dead.get("current_stage").asText()).isEqualTo("notify");
    assertThat(dead.get("error").asText()).contains("answered 500");
    JsonNode notify = dead.get("stages").get(1);
    assertThat(notify.get("state").asText()).isEqualTo("failed");
    assertThat(notify.get("attempts").asInt()).isEqualTo(2);
    assertThat(notify.get("error_class").asText()).isEqualTo("http_500");
    assertThat(dead.get("stages").get(0).get("state").asText()).isEqualTo("completed");

    sink.status.set(200);
    HttpResponse<String> resumed = node.post("/v1/pipelines/runs/" + id + "/resume", "");

    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(json(resumed.body()).get("state").asText()).isNotEqualTo("dead");
    JsonNode done = node.awaitState(id, "succeeded");
    assertThat(done.get("stages").get(0).get("attempts").asInt())
        .as("a completed stage never runs again")
        .isEqualTo(1);
    assertThat(sink.deliveriesFor(id))
        .hasSize(3)
        .extracting(WebhookSink.Delivery::idempotencyKey)
        .containsOnly(id + "/notify/webhook");
  }

  @Test
  void resumingARunThatIsNotDeadIsAConflict() {
    String id = node.submit("shape", "{\"n\":3}");
    node.awaitState(id, "succeeded");

    HttpResponse<String> response = node.post("/v1/pipelines/runs/" + id + "/resume", "");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("not_dead");
    assertThat(json(response.body()).at("/error/message").asText()).contains("succeeded");
  }

  @Test
  void anotherTenantsRunIsNotFound() {
    String id = node.submit("shape", "{\"n\":4}");

    assertThat(node.get("/v1/pipelines/runs/" + id, OTHER_KEY).statusCode()).isEqualTo(404);
    assertThat(node.post("/v1/pipelines/runs/" + id + "/resume", OTHER_KEY, "", null).statusCode())
        .isEqualTo(404);
    assertThat(json(node.get("/v1/pipelines/runs", OTHER_KEY).body()).get("data").toString())
        .doesNotContain(id);
    assertThat(node.get("/v1/pipelines/runs/prun_unknown").statusCode()).isEqualTo(404);
  }

  @Test
  void listsOwnRunsNewestFirstFilteredByPipelineAndState() {
    String first = node.submit("shape", "{\"n\":5}");
    String second = node.submit("shape", "{\"n\":6}");
    node.awaitState(second, "succeeded");
    node.awaitState(first, "succeeded");

    JsonNode list =
        json(node.get("/v1/pipelines/runs?pipeline=shape&state=succeeded&limit=2").body());

    assertThat(texts(list.get("data"), "id")).containsExactly(second, first);
    assertThat(list.get("data").get(0).has("stages")).isFalse();
    assertThat(json(node.get("/v1/pipelines/runs?pipeline=digest&state=queued").body()).get("data"))
        .isEmpty();
  }

  /** One field of each element of an array (not of nested objects, unlike findValues). */
  static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(element -> values.add(element.path(field).asText(null)));
    return values;
  }

  @Test
  void listsTheNodesPipelinesWithTheirStages() {
    JsonNode list = json(node.get("/v1/pipelines").body()).get("data");

    assertThat(texts(list, "name")).containsExactly("digest", "flaky", "shape");
    JsonNode digest = list.get(0);
    assertThat(digest.get("description").asText()).startsWith("summarize");
    assertThat(digest.get("version").asText()).hasSize(12);
    JsonNode notify = digest.get("stages").get(2);
    assertThat(notify.get("type").asText()).isEqualTo("http_action");
    assertThat(notify.get("timeout_ms").asLong()).isEqualTo(5000);
    assertThat(notify.get("max_attempts").asInt()).isEqualTo(3);
    assertThat(notify.get("effectful").asBoolean()).isTrue();
    assertThat(notify.get("dependency").asText()).startsWith("http:127.0.0.1:");
    assertThat(digest.get("stages").get(0).get("dependency").asText()).isEqualTo("model:default");
  }
}
