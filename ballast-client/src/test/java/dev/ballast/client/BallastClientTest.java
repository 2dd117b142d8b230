package dev.ballast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BallastClientTest {
  private static final String RUNS = "/v1/pipelines/runs/";

  private CannedGateway gateway;
  private final FakeTime time = new FakeTime();
  private BallastClient client;

  @BeforeEach
  void start() throws IOException {
    gateway = CannedGateway.start();
    client =
        BallastClient.builder()
            .baseUrl(gateway.baseUrl())
            .apiKey("bk-test")
            .timeout(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100), Duration.ofMillis(400))
            .time(time.clock(), time)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
  }

  static String run(String id, String state) {
    return """
        {"id":"%s","pipeline":"digest","version":"0123456789ab","tenant":"acme","state":"%s",
         "priority":5,"stage_index":1,"current_stage":"notify","attempts":2,"waiting_on":null,
         "failed_stage":"notify","error":"http_503: hook down","input":{"text":"hello"},
         "output":null,"enqueued_at":"2026-11-22T08:00:00Z","updated_at":"2026-11-22T08:00:01.5Z",
         "lease_owner":"node-1/3","future_field":{"ignored":true},
         "stages":[{"name":"summarize","index":0,"type":"generate","state":"completed",
                    "attempts":1,"output":{"summary":"hi"},"error":null,"error_class":null},
                   {"name":"notify","index":1,"type":"http_action","state":"failed","attempts":2,
                    "output":null,"error":"hook down","error_class":"http_503"}]}
        """
        .formatted(id, state);
  }

  static String error(String type, String code, String message) {
    return """
        {"error":{"type":"%s","code":"%s","param":null,"message":"%s"}}"""
        .formatted(type, code, message);
  }

  @Test
  void submitPostsTheInputAndPriorityWithTheBearerKeyAndIdempotencyKey() {
    gateway.on("POST", "/v1/pipelines/digest/runs", 201, run("prun_1", "queued"));

    client.submit("digest", Map.of("text", "hello"), new SubmitOptions("k-1", 7));

    CannedGateway.Request sent = gateway.lastRequest();
    assertThat(sent.header("Authorization")).isEqualTo("Bearer bk-test");
    assertThat(sent.header("Idempotency-Key")).isEqualTo("k-1");
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    assertThat(sent.body()).isEqualTo("{\"input\":{\"text\":\"hello\"},\"priority\":7}");
  }

  @Test
  void submitWithoutOptionsSendsNeitherPriorityNorIdempotencyKey() {
    gateway.on("POST", "/v1/pipelines/digest/runs", 201, run("prun_1", "queued"));

    client.submit("digest", Wire.MAPPER.createObjectNode().put("n", 1));

    CannedGateway.Request sent = gateway.lastRequest();
    assertThat(sent.header("Idempotency-Key")).isNull();
    assertThat(sent.body()).isEqualTo("{\"input\":{\"n\":1}}");
  }

  @Test
  void aCreatedRunIsReadWithItsStagesInputOutputAndTimes() {
    gateway.on("POST", "/v1/pipelines/digest/runs", 201, run("prun_1", "queued"));

    PipelineRun run = client.submit("digest", Map.of("text", "hello"));

    assertThat(run.replayed()).isFalse();
    assertThat(run.id()).isEqualTo("prun_1");
    assertThat(run.state()).isEqualTo(PipelineRun.State.QUEUED);
    assertThat(run.version()).isEqualTo("0123456789ab");
    assertThat(run.priority()).isEqualTo(5);
    assertThat(run.currentStage()).isEqualTo("notify");
    assertThat(run.waitingOn()).isNull();
    assertThat(run.input().get("text").asText()).isEqualTo("hello");
    assertThat(run.output()).isNull();
    assertThat(run.updatedAt()).isEqualTo(Instant.parse("2026-11-22T08:00:01.5Z"));
    assertThat(run.stages())
        .extracting(PipelineRun.Stage::name, PipelineRun.Stage::state, PipelineRun.Stage::attempts)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("summarize", "completed", 1),
            org.assertj.core.groups.Tuple.tuple("notify", "failed", 2));
    assertThat(run.stages().get(1).errorClass()).isEqualTo("http_503");
    assertThat(run.stages().get(1).type()).isEqualTo("http_action");
    assertThat(run.stages().get(0).output().get("summary").asText()).isEqualTo("hi");
  }

  @Test
  void aSubmissionWhoseKeyAlreadyNamedARunIsFlaggedReplayed() {
    gateway.on(
        "POST",
        "/v1/pipelines/digest/runs",
        200,
        run("prun_1", "running"),
        "x-ballast-idempotent-replayed",
        "true");

    PipelineRun run = client.submit("digest", Map.of(), SubmitOptions.idempotencyKey("k-1"));

    assertThat(run.replayed()).isTrue();
    assertThat(run.id()).isEqualTo("prun_1");
  }

  @Test
  void anUnknownPipelineIsAnApiExceptionWithStatusCodeAndTheGatewaysMessage() {
    gateway.on(
        "POST",
        "/v1/pipelines/digst/runs",
        404,
        error("not_found_error", "unknown_pipeline", "unknown pipeline \\\"digst\\\""));

    assertThatThrownBy(() -> client.submit("digst", Map.of()))
        .isInstanceOfSatisfying(
            BallastApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("unknown_pipeline");
              assertThat(e.type()).isEqualTo("not_found_error");
              assertThat(e.errorMessage()).isEqualTo("unknown pipeline \"digst\"");
              assertThat(e.getMessage())
                  .isEqualTo("unknown pipeline \"digst\" (HTTP 404, unknown_pipeline)");
            });
  }

  @Test
  void aRefusedBodyIs400NamingTheParameter() {
    gateway.on(
        "POST",
        "/v1/pipelines/digest/runs",
        400,
        """
        {"error":{"type":"invalid_request_error","code":"invalid_type","param":"priority",
                  "message":"Invalid type for 'priority': expected an integer."}}""");

    assertThatThrownBy(() -> client.submit("digest", Map.of()))
        .isInstanceOfSatisfying(
            BallastApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("priority");
              assertThat(e.getMessage()).doesNotContain("{");
            });
  }

  @Test
  void anErrorPageThatIsNotJsonGivesTheStatusAndUrlNotThePage() {
    gateway.onRaw(
        "GET", RUNS + "prun_1", 502, "text/html", "<html><body>Bad Gateway</body></html>");

    assertThatThrownBy(() -> client.run("prun_1"))
        .isInstanceOfSatisfying(
            BallastApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isNull();
              assertThat(e.getMessage())
                  .isEqualTo("GET " + gateway.baseUrl() + RUNS + "prun_1 failed (HTTP 502)")
                  .doesNotContain("<html>");
            });
  }

  @Test
  void aShortPlainTextErrorBecomesTheMessageAndRetryAfterIsRead() {
    gateway.onRaw("GET", RUNS + "prun_1", 429, "text/plain", "slow down\n", "Retry-After", "3");

    assertThatThrownBy(() -> client.run("prun_1"))
        .isInstanceOfSatisfying(
            BallastApiException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("slow down (HTTP 429)");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
              assertThat(e.transientStatus()).isTrue();
            });
  }

  @Test
  void resumingARunThatIsNotDeadIs409NotDead() {
    gateway.on(
        "POST",
        RUNS + "prun_1/resume",
        409,
        error("invalid_request_error", "not_dead", "run prun_1 is succeeded, not dead"));

    assertThatThrownBy(() -> client.resume("prun_1"))
        .isInstanceOfSatisfying(
            BallastApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("not_dead");
            });
  }

  @Test
  void resumeReturnsTheQueuedRun() {
    gateway.on("POST", RUNS + "prun_1/resume", 200, run("prun_1", "queued"));

    PipelineRun run = client.resume("prun_1");

    assertThat(run.state()).isEqualTo(PipelineRun.State.QUEUED);
    assertThat(gateway.lastRequest().body()).isEmpty();
  }

  @Test
  void runsSendsTheFiltersAsQueryParametersAndReadsTheDataList() {
    gateway.on(
        "GET",
        "/v1/pipelines/runs",
        200,
        "{\"object\":\"list\",\"data\":["
            + run("prun_2", "dead")
            + ","
            + run("prun_1", "dead")
            + "]}");

    List<PipelineRun> runs =
        client.runs(
            RunQuery.all()
                .withPipeline("digest")
                .withStates(PipelineRun.State.FAILED, PipelineRun.State.DEAD)
                .withLimit(2));

    assertThat(gateway.lastRequest().query())
        .isEqualTo("limit=2&pipeline=digest&state=failed,dead");
    assertThat(runs).extracting(PipelineRun::id).containsExactly("prun_2", "prun_1");
  }

  @Test
  void aListMayAlsoComeAsABareArray() {
    gateway.on("GET", "/v1/pipelines/runs", 200, "[" + run("prun_1", "running") + "]");

    assertThat(client.runs(RunQuery.all())).hasSize(1);
  }

  @Test
  void aBodyThatIsNotAListIsAClearError() {
    gateway.on("GET", "/v1/pipelines/runs", 200, "{\"object\":\"list\"}");

    assertThatThrownBy(() -> client.runs(RunQuery.all()))
        .isExactlyInstanceOf(BallastClientException.class)
        .hasMessageContaining(
            "expected a list but the gateway answered HTTP 200 with a JSON object");
  }

  @Test
  void pipelinesAreReadWithTheirStages() {
    gateway.on(
        "GET",
        "/v1/pipelines",
        200,
        """
        {"data":[{"name":"digest","version":"0123456789ab","description":"summarize",
                  "max_concurrent":8,
                  "stages":[{"name":"summarize","type":"generate","timeout_ms":30000,
                             "max_attempts":3,"dependency":"model:default","effectful":false},
                            {"name":"notify","type":"http_action","timeout_ms":60000,
                             "max_attempts":5,"dependency":"http:hooks:443","effectful":true}]}]}
        """);

    List<PipelineInfo> pipelines = client.pipelines();

    assertThat(pipelines).hasSize(1);
    PipelineInfo digest = pipelines.getFirst();
    assertThat(digest.maxConcurrent()).isEqualTo(8);
    assertThat(digest.stages().get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(digest.stages().get(1).effectful()).isTrue();
    assertThat(digest.stages().get(1).maxAttempts()).isEqualTo(5);
  }

  @Test
  void awaitRunPollsWithGrowingPausesUntilTheRunIsTerminal() {
    gateway
        .on("GET", RUNS + "prun_1", 200, run("prun_1", "queued"))
        .on("GET", RUNS + "prun_1", 200, run("prun_1", "running"))
        .on("GET", RUNS + "prun_1", 200, run("prun_1", "waiting"))
        .on("GET", RUNS + "prun_1", 200, run("prun_1", "succeeded"));

    PipelineRun done = client.awaitRun("prun_1", Duration.ofMinutes(1));

    assertThat(done.state()).isEqualTo(PipelineRun.State.SUCCEEDED);
    assertThat(gateway.requests()).hasSize(4);
    assertThat(time.pauses())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void awaitRunReturnsADeadRunAsTerminal() {
    gateway.on("GET", RUNS + "prun_1", 200, run("prun_1", "dead"));

    assertThat(client.awaitRun("prun_1", Duration.ofMinutes(1)).state())
        .isEqualTo(PipelineRun.State.DEAD);
    assertThat(time.pauses()).isEmpty();
  }

  @Test
  void awaitRunGivesUpAtTheTimeoutWithTheRunAsLastSeen() {
    gateway.on("GET", RUNS + "prun_1", 200, run("prun_1", "running"));

    assertThatThrownBy(() -> client.awaitRun("prun_1", Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            RunTimeoutException.class,
            e -> {
              assertThat(e.lastSeen()).map(PipelineRun::state).contains(PipelineRun.State.RUNNING);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "run prun_1 did not finish within PT1S; last seen running at stage 1"
                          + " (notify)");
            });
    assertThat(time.pauses().stream().reduce(Duration.ZERO, Duration::plus))
        .as("never waits past the timeout")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void awaitRunRidesOutAGatewayThatIsBrieflyUnavailable() {
    gateway
        .on("GET", RUNS + "prun_1", 503, error("server_error", "unavailable", "restarting"))
        .on("GET", RUNS + "prun_1", 200, run("prun_1", "succeeded"));

    assertThat(client.awaitRun("prun_1", Duration.ofMinutes(1)).succeeded()).isTrue();
  }

  @Test
  void awaitRunThrowsAtOnceForAnUnknownRun() {
    gateway.on(
        "GET",
        RUNS + "prun_x",
        404,
        error("not_found_error", "run_not_found", "No pipeline run with id 'prun_x'."));

    assertThatThrownBy(() -> client.awaitRun("prun_x", Duration.ofMinutes(1)))
        .isInstanceOf(BallastApiException.class)
        .hasMessage("No pipeline run with id 'prun_x'. (HTTP 404, run_not_found)");
    assertThat(time.pauses()).isEmpty();
  }

  @Test
  void anUnreachableGatewayIsATransportErrorNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (BallastClient unreachable =
        BallastClient.builder().baseUrl("http://127.0.0.1:" + port).apiKey("bk-secret").build()) {

      assertThatThrownBy(() -> unreachable.run("prun_1"))
          .isInstanceOf(BallastTransportException.class)
          .hasMessageStartingWith("GET http://127.0.0.1:" + port + RUNS + "prun_1: ")
          .hasMessageNotContaining("bk-secret");
    }
  }

  @Test
  void aGatewayThatDoesNotAnswerInTimeIsATransportTimeout() {
    CountDownLatch release = gateway.holdResponses();
    try (BallastClient impatient =
        BallastClient.builder()
            .baseUrl(gateway.baseUrl())
            .timeout(Duration.ofMillis(300))
            .build()) {

      assertThatThrownBy(() -> impatient.run("prun_1"))
          .isInstanceOf(BallastTransportException.class)
          .hasMessageEndingWith(RUNS + "prun_1: no answer within PT0.3S");
    } finally {
      release.countDown();
    }
  }

  @Test
  void theBaseUrlMayEndInV1LikeAnOpenAiBaseUrl() {
    gateway.on("GET", "/v1/pipelines", 200, "{\"data\":[]}");
    try (BallastClient openAiStyle =
        BallastClient.builder().baseUrl(gateway.baseUrl() + "/v1/").build()) {

      assertThat(openAiStyle.pipelines()).isEmpty();
      assertThat(openAiStyle.baseUrl()).isEqualTo(gateway.baseUrl());
    }
  }

  @Test
  void runIdsAreEncodedAsOnePathSegment() {
    gateway.on("GET", RUNS + "a%2Fb%20c", 200, run("a/b c", "queued"));

    assertThat(client.run("a/b c").id()).isEqualTo("a/b c");
  }

  @Test
  void oneClientServesManyThreadsAtOnce() throws Exception {
    gateway.on("POST", "/v1/pipelines/digest/runs", 201, run("prun_1", "queued"));
    List<Future<PipelineRun>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 64; i++) {
        int n = i;
        results.add(pool.submit(() -> client.submit("digest", Map.of("n", n))));
      }
    }

    for (Future<PipelineRun> result : results) {
      assertThat(result.get().id()).isEqualTo("prun_1");
    }
    assertThat(gateway.requests()).hasSize(64);
    assertThat(gateway.requests().stream().map(CannedGateway.Request::body).distinct()).hasSize(64);
  }

  @Test
  void theBuilderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> BallastClient.builder().baseUrl("ftp://x"))
        .hasMessage("baseUrl must be an absolute http or https URL, but was ftp://x");
    assertThatThrownBy(() -> BallastClient.builder().timeout(Duration.ZERO))
        .hasMessage("timeout must be positive, but was PT0S");
    assertThatThrownBy(() -> BallastClient.builder().apiKey(" "))
        .hasMessage("apiKey must not be blank");
    assertThatThrownBy(
            () ->
                BallastClient.builder().pollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("max poll interval must be at least the initial PT2S, but was PT1S");
    assertThatThrownBy(() -> BallastClient.builder().build()).hasMessage("baseUrl is required");
    assertThatThrownBy(() -> client.awaitRun("prun_1", Duration.ofSeconds(-1)))
        .hasMessage("timeout must be zero or positive, but was PT-1S");
  }

  @Test
  void theKeyNeverAppearsInToString() {
    assertThat(client.toString()).isEqualTo("BallastClient[" + gateway.baseUrl() + "]");
  }

  @Test
  void anUnknownStateFromANewerGatewayReadsAsUnknownAndIsNotTerminal() {
    gateway.on("GET", RUNS + "prun_1", 200, run("prun_1", "paused"));

    PipelineRun run = client.run("prun_1");

    assertThat(run.state()).isEqualTo(PipelineRun.State.UNKNOWN);
    assertThat(run.terminal()).isFalse();
    JsonNode ignored = run.input();
    assertThat(ignored).isNotNull();
  }
}
