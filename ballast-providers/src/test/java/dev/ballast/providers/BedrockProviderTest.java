package dev.ballast.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.core.model.Usage;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Bedrock's wire details that the simulator-based contract does not pin down, signature first. */
class BedrockProviderTest {
  private static final AwsCredentials AWS =
      new AwsCredentials("eu-west-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", "session-token-1");
  private static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  private static final CallOptions OPTIONS = new CallOptions(MODEL, Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "Weather in Oslo?")));
  private static final String ANSWER =
      """
      {"output":{"message":{"role":"assistant","content":[{"text":"Checking."},
        {"toolUse":{"toolUseId":"tooluse_1","name":"weather","input":{"city":"Oslo"}}}]}},
       "stopReason":"tool_use",
       "usage":{"inputTokens":30,"outputTokens":12,"totalTokens":62,"cacheReadInputTokens":20},
       "metrics":{"latencyMs":420}}
      """;
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private WireServer server;
  private Provider provider;

  @AfterEach
  void tearDown() throws IOException {
    provider.close();
    server.close();
  }

  private void serve(WireServer.Script script) throws IOException {
    server = WireServer.start(script);
    provider = Providers.create(ProviderSettings.bedrock("bedrock", server.baseUrl(), AWS));
  }

  /**
   * Re-signs the request exactly as received (path, the headers it says it signed, body) with the
   * SDK's signer at the time it claims: the Authorization header must come out the same, so what
   * the transport sent is what was signed.
   */
  @Test
  void signsWhatItSendsWithSigV4() throws Exception {
    serve((request, wire) -> wire.respond(200, ANSWER));

    provider.chat(QUESTION, OPTIONS);

    WireServer.Request sent = server.lastRequest();
    assertThat(sent.path())
        .isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    String authorization = sent.header("authorization");
    assertThat(authorization)
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/eu-west-1/bedrock/aws4_request");
    assertThat(sent.header("x-amz-security-token")).isEqualTo("session-token-1");
    assertThat(resign(sent)).isEqualTo(authorization);
  }

  private String resign(WireServer.Request sent) {
    String signedHeaders =
        sent.header("authorization").replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.valueOf(sent.method()))
            .uri(URI.create(server.baseUrl() + sent.path()));
    for (String name : signedHeaders.split(";")) {
      if (!name.equals("host")) {
        request.putHeader(name, sent.header(name));
      }
    }
    LocalDateTime at = LocalDateTime.parse(sent.header("x-amz-date"), AMZ_DATE);
    Clock clock = Clock.fixed(at.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    byte[] body = sent.body().getBytes(StandardCharsets.UTF_8);
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(
                        AwsSessionCredentialsIdentity.create(
                            AWS.accessKeyId(), AWS.secretAccessKey(), AWS.sessionToken()))
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, AWS.region())
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock))
        .request()
        .firstMatchingHeader("Authorization")
        .orElseThrow();
  }

  @Test
  void translatesTheConversationToConverseShape() throws Exception {
    serve((request, wire) -> wire.respond(200, ANSWER));
    ChatRequest request =
        new ChatRequest(
            "smart",
            List.of(
                Message.text(Role.SYSTEM, "You are terse."),
                new Message(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null)),
                    null,
                    List.of(),
                    null),
                new Message(
                    Role.ASSISTANT,
                    List.of(),
                    null,
                    List.of(new ToolCall("tooluse_1", "weather", "{\"city\":\"Oslo\"}")),
                    null),
                new Message(
                    Role.TOOL, List.of(new ContentPart.Text("12C")), null, List.of(), "tooluse_1")),
            List.of(
                new ToolDefinition(
                    "weather", "Current weather", Json.mapper().readTree("{\"type\":\"object\"}"))),
            Json.mapper().readTree("\"required\""),
            null,
            0.5,
            0.9,
            256,
            List.of("###"),
            false,
            null);

    provider.chat(request, OPTIONS);

    JsonNode body = server.lastRequest().json();
    assertThat(body.has("model")).isFalse();
    assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("You are terse.");
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(3);
    JsonNode image = messages.get(0).path("content").get(1).path("image");
    assertThat(image.path("format").asText()).isEqualTo("png");
    assertThat(image.path("source").path("bytes").asText()).isEqualTo("iVBORw0KGgo=");
    JsonNode toolUse = messages.get(1).path("content").get(0).path("toolUse");
    assertThat(toolUse.path("input").path("city").asText()).isEqualTo("Oslo");
    JsonNode toolResult = messages.get(2).path("content").get(0).path("toolResult");
    assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
    assertThat(toolResult.path("toolUseId").asText()).isEqualTo("tooluse_1");
    assertThat(toolResult.path("content").get(0).path("text").asText()).isEqualTo("12C");
    JsonNode inference = body.path("inferenceConfig");
    assertThat(inference.path("maxTokens").asInt()).isEqualTo(256);
    assertThat(inference.path("topP").asDouble()).isEqualTo(0.9);
    assertThat(inference.path("stopSequences").get(0).asText()).isEqualTo("###");
    JsonNode tools = body.path("toolConfig");
    assertThat(tools.path("tools").get(0).path("toolSpec").path("inputSchema").path("json"))
        .hasToString("{\"type\":\"object\"}");
    assertThat(tools.path("toolChoice").has("any")).isTrue();
  }

  @Test
  void normalizesAnswerUsageAndTheRequestedModel() throws Exception {
    serve((request, wire) -> wire.respond(200, ANSWER));

    ChatResponse response = provider.chat(QUESTION, OPTIONS);

    assertThat(response.message().text()).isEqualTo("Checking.");
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("tooluse_1", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).isEqualTo(new Usage(50, 12, 20, 0, false));
    assertThat(response.model()).isEqualTo(MODEL);
  }

  @Test
  void classifiesErrorsByTheirAwsErrorType() throws Exception {
    serve(
        (request, wire) -> {
          switch (server.requests().size()) {
            case 1 ->
                wire.respond(
                    429,
                    "{\"message\":\"Too many requests, please wait before trying again.\"}",
                    "x-amzn-errortype: ThrottlingException:http://internal.amazon.com/coral/");
            case 2 ->
                wire.respond(
                    408,
                    "{\"message\":\"Model has timed out in processing the request.\"}",
                    "x-amzn-errortype: ModelTimeoutException");
            case 3 ->
                wire.respond(
                    400,
                    "{\"message\":\"Input is too long for requested model.\"}",
                    "x-amzn-errortype: ValidationException");
            default ->
                wire.respond(
                    503,
                    "{\"Message\":\"Bedrock is unable to process your request.\"}",
                    "x-amzn-errortype: ServiceUnavailableException");
          }
        });

    ProviderException throttled = failure();
    assertThat(throttled.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(throttled.providerCode()).contains("ThrottlingException");
    assertThat(failure().errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(failure().errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH);
    ProviderException unavailable = failure();
    assertThat(unavailable.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(unavailable.getMessage()).contains("unable to process");
  }

  private ProviderException failure() {
    return catchThrowableOfType(ProviderException.class, () -> provider.chat(QUESTION, OPTIONS));
  }

  @Test
  void classifiesAnExceptionInsideTheStreamLikeTheSameErrorAsAResponse() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/vnd.amazon.eventstream");
          wire.chunk(frame(":event-type", "messageStart", "{\"role\":\"assistant\"}"));
          wire.chunk(
              frame(
                  ":event-type",
                  "contentBlockDelta",
                  "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}"));
          wire.chunk(
              frame(":exception-type", "throttlingException", "{\"message\":\"slow down\"}"));
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.chatStream(QUESTION.withStream(true), OPTIONS, deltas::add));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(deltas).extracting(ChatDelta::content).containsExactly("Hel");
  }

  @Test
  void dropsAMessageWhoseCrcFailsAndRecordsARepair() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/vnd.amazon.eventstream");
          wire.chunk(frame(":event-type", "messageStart", "{\"role\":\"assistant\"}"));
          byte[] corrupt =
              frame(
                  ":event-type",
                  "contentBlockDelta",
                  "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"lost\"}}");
          corrupt[corrupt.length - 6] ^= 0x20;
          wire.chunk(corrupt);
          wire.chunk(
              frame(
                  ":event-type",
                  "contentBlockDelta",
                  "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"kept\"}}"));
          wire.chunk(frame(":event-type", "messageStop", "{\"stopReason\":\"end_turn\"}"));
          wire.chunk(
              frame(
                  ":event-type",
                  "metadata",
                  "{\"usage\":{\"inputTokens\":3,\"outputTokens\":1,\"totalTokens\":4}}"));
          wire.endStream();
        });

    ChatResponse response = provider.chatStream(QUESTION.withStream(true), OPTIONS, delta -> {});

    assertThat(response.message().text()).isEqualTo("kept");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.MALFORMED_CHUNK_DROPPED);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new Usage(3, 1, 0, 0, false));
    assertThat(response.model()).isEqualTo(MODEL);
  }

  @Test
  void endsAStreamWhosePreludeIsCorruptAsTruncated() throws Exception {
    serve(
        (request, wire) -> {
          wire.startStream("application/vnd.amazon.eventstream");
          wire.chunk(
              frame(
                  ":event-type",
                  "contentBlockDelta",
                  "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}"));
          byte[] corrupt = frame(":event-type", "messageStop", "{\"stopReason\":\"end_turn\"}");
          corrupt[9] ^= 0x01;
          wire.chunk(corrupt);
          wire.endStream();
        });
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.chatStream(QUESTION.withStream(true), OPTIONS, deltas::add));

    // The lengths after a bad prelude cannot be trusted, so nothing after it is read.
    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
    assertThat(e.getMessage()).contains("prelude CRC");
    assertThat(deltas).extracting(ChatDelta::content).containsExactly("Hel");
  }

  /** One event-stream message with a {@code :message-type} header and a type header. */
  private static byte[] frame(String typeHeader, String type, String payload) {
    String messageType = typeHeader.equals(":exception-type") ? "exception" : "event";
    byte[] headers = concat(header(typeHeader, type), header(":message-type", messageType));
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headers.length + body.length + 4;
    ByteBuffer buffer = ByteBuffer.allocate(total).putInt(total).putInt(headers.length);
    buffer.putInt((int) crc(buffer.array(), 8)).put(headers).put(body);
    buffer.putInt((int) crc(buffer.array(), total - 4));
    return buffer.array();
  }

  private static byte[] header(String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + n.length + 3 + v.length)
        .put((byte) n.length)
        .put(n)
        .put((byte) 7)
        .putShort((short) v.length)
        .put(v)
        .array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }

  private static long crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }
}
