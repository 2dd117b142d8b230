package dev.ballast.simulator;

import static dev.ballast.simulator.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire formats that name the model in the path: Azure OpenAI, Gemini, Bedrock Converse. */
class CloudWireServerTest {
  private static final String SIGV4 =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/bedrock/aws4_request,"
          + " SignedHeaders=content-type;host;x-amz-date, Signature="
          + "a".repeat(64);
  private static final String CONVERSE =
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello there\"}]}],"
          + "\"inferenceConfig\":{\"maxTokens\":100}}";
  private static final String GENERATE =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello there\"}]}]}";

  static Simulator sim;
  static SimulatorServer server;
  static SimClient client;

  @BeforeAll
  static void start() {
    sim = Simulator.create();
    server = sim.server(0);
    client = new SimClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  @Test
  void azureTakesTheModelFromTheDeploymentInThePath() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/openai/deployments/sim%3Atokens%3D4/chat/completions?api-version=2024-10-21",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}", "api-key", "k");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).at("/usage/completion_tokens").asInt()).isEqualTo(4);
    assertThat(sim.attempts("sim:tokens=4"))
        .singleElement()
        .extracting(Attempt::api)
        .isEqualTo("azure_openai");
  }

  @Test
  void azureRefusesARequestWithoutItsKeyOrApiVersionBeforeCountingAnAttempt() throws Exception {
    String path = "/openai/deployments/sim/chat/completions";
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    assertThat(client.post(path + "?api-version=2024-10-21", body).statusCode()).isEqualTo(401);
    assertThat(client.post(path, body, "api-key", "k").statusCode()).isEqualTo(400);
    assertThat(sim.attempts()).isEmpty();
  }

  @Test
  void azureReportsAContentFilterRefusalWithItsOwnCode() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/openai/deployments/sim%3Acontent_policy/chat/completions?api-version=2024-10-21",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "api-key", "k");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("content_filter");
  }

  @Test
  void geminiAnswersInGenerateContentShape() throws Exception {
    JsonNode body =
        json(
            client
                .post(
                    "/v1beta/models/sim%3Atokens%3D6:generateContent",
                    GENERATE, "x-goog-api-key", "g")
                .body());

    assertThat(body.at("/candidates/0/content/role").asText()).isEqualTo("model");
    assertThat(body.at("/candidates/0/content/parts/0/text").asText())
        .isEqualTo("Simulated answer to: Hello there the");
    assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(body.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(6);
    // The model as named, without its fault spec.
    assertThat(body.path("modelVersion").asText()).isEqualTo("sim");
  }

  @Test
  void geminiStreamsWholeResponsesAsServerSentEvents() throws Exception {
    String sse =
        client
            .post(
                "/v1beta/models/sim%3Atokens%3D3:streamGenerateContent?alt=sse",
                GENERATE, "x-goog-api-key", "g")
            .body();

    long events = sse.lines().filter(l -> l.startsWith("data: ")).count();
    assertThat(events).isEqualTo(4);
    assertThat(sse).contains("\"finishReason\":\"STOP\"").doesNotContain("[DONE]");
  }

  @Test
  void geminiBlocksARefusedPromptInsideA200() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/sim%3Acontent_policy:generateContent", GENERATE, "x-goog-api-key", "g");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).at("/promptFeedback/blockReason").asText())
        .isEqualTo("SAFETY");
  }

  @Test
  void geminiBlocksARefusedStreamInItsOnlyEvent() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/sim%3Acontent_policy:streamGenerateContent?alt=sse",
            GENERATE, "x-goog-api-key", "g");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("data: {\"promptFeedback\"");
  }

  @Test
  void geminiReportsRateLimitsAsResourceExhausted() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/v1beta/models/sim%3Astatus%3D429:generateContent", GENERATE, "x-goog-api-key", "g");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(json(response.body()).at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void geminiRefusesACallerWithoutAKey() throws Exception {
    assertThat(client.post("/v1beta/models/sim:generateContent", GENERATE).statusCode())
        .isEqualTo(403);
  }

  @Test
  void bedrockAnswersInConverseShape() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/model/sim%3Atokens%3D5/converse",
            CONVERSE, "Authorization", SIGV4, "X-Amz-Date", "20261207T220000Z");

    JsonNode body = json(response.body());
    assertThat(body.at("/output/message/content/0/text").asText()).startsWith("Simulated answer");
    assertThat(body.path("stopReason").asText()).isEqualTo("end_turn");
    assertThat(body.at("/usage/outputTokens").asInt()).isEqualTo(5);
    assertThat(sim.attempts("sim:tokens=5"))
        .singleElement()
        .extracting(Attempt::api)
        .isEqualTo("bedrock");
  }

  @Test
  void bedrockRefusesAnUnsignedOrMisScopedRequest() throws Exception {
    assertThat(client.post("/model/sim/converse", CONVERSE).statusCode()).isEqualTo(403);
    HttpResponse<String> wrongService =
        client.post(
            "/model/sim/converse",
            CONVERSE,
            "Authorization",
            SIGV4.replace("/bedrock/", "/s3/"),
            "X-Amz-Date",
            "20261207T220000Z");
    assertThat(wrongService.statusCode()).isEqualTo(403);
    assertThat(wrongService.body()).contains("'bedrock'");
    assertThat(sim.attempts()).isEmpty();
  }

  @Test
  void bedrockNamesTheErrorTypeInAHeader() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/model/sim%3Astatus%3D429/converse",
            CONVERSE, "Authorization", SIGV4, "X-Amz-Date", "20261207T220000Z");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("x-amzn-errortype").orElseThrow())
        .startsWith("ThrottlingException:");
    assertThat(json(response.body()).path("message").asText()).isNotBlank();
  }
}
