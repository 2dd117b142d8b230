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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {
  private static final String KEY = "sk-live-SECRET-4242";
  private static final CallOptions OPTIONS = new CallOptions("model-x", Timeouts.DEFAULT);
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "Hello?")));

  private WireServer server;
  private Provider provider;

  @AfterEach
  void tearDown() throws IOException {
    provider.close();
    server.close();
  }

  private ProviderException failureFrom(ProviderApi type, WireServer.Script script)
      throws IOException {
    server = WireServer.start(script);
    String path = type == ProviderApi.OPENAI ? "/v1" : "/";
    provider =
        Providers.create(
            ProviderSettings.of("p", type)
                .withBaseUrl(server.baseUrl().resolve(path))
                .withApiKey(KEY));
    return catchThrowableOfType(ProviderException.class, () -> provider.chat(QUESTION, OPTIONS));
  }

  @Test
  void rateLimitCarriesRetryAfterSecondsAndTheProviderCode() throws Exception {
    String body =
        """
        {"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests",\
        "param":null,"code":"rate_limit_exceeded"}}""";

    ProviderException e =
        failureFrom(ProviderApi.OPENAI, (r, wire) -> wire.respond(429, body, "Retry-After: 7"));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.providerCode()).contains("rate_limit_exceeded");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.rawBody()).contains(body);
    assertThat(e.getMessage()).contains("Rate limit reached");
  }

  @Test
  void retryAfterMillisecondsWinsOverSeconds() throws Exception {
    ProviderException e =
        failureFrom(
            ProviderApi.OPENAI,
            (r, wire) ->
                wire.respond(
                    429,
                    "{\"error\":{\"message\":\"slow down\"}}",
                    "Retry-After: 2",
                    "retry-after-ms: 1500"));

    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  void contextLengthIsClassifiedFromTheOpenAiCode() throws Exception {
    String body =
        """
        {"error":{"message":"This model's maximum context length is 128000 tokens. However, \
        your messages resulted in 130000 tokens.","type":"invalid_request_error",\
        "param":"messages","code":"context_length_exceeded"}}""";

    ProviderException e = failureFrom(ProviderApi.OPENAI, (r, wire) -> wire.respond(400, body));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH);
    assertThat(e.providerCode()).contains("context_length_exceeded");
  }

  @Test
  void anthropicErrorBodiesAreParsed() throws Exception {
    String body =
        """
        {"type":"error","error":{"type":"invalid_request_error",\
        "message":"prompt is too long: 210000 tokens > 200000 maximum"}}""";

    ProviderException e = failureFrom(ProviderApi.ANTHROPIC, (r, wire) -> wire.respond(400, body));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH);
    assertThat(e.providerCode()).contains("invalid_request_error");
  }

  @Test
  void ollamaErrorBodiesAreParsed() throws Exception {
    ProviderException e =
        failureFrom(
            ProviderApi.OLLAMA,
            (r, wire) -> wire.respond(404, "{\"error\":\"model \\\"llama9\\\" not found\"}"));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.NOT_FOUND);
    assertThat(e.getMessage()).contains("model \"llama9\" not found");
  }

  @Test
  void serverErrorsWithoutJsonKeepTheirBody() throws Exception {
    ProviderException e =
        failureFrom(ProviderApi.OPENAI, (r, wire) -> wire.respond(503, "upstream connect error"));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(e.rawBody()).contains("upstream connect error");
  }

  @Test
  void anEchoedApiKeyNeverReachesTheExceptionOrItsRawBody() throws Exception {
    String body =
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + KEY
            + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";

    ProviderException e = failureFrom(ProviderApi.OPENAI, (r, wire) -> wire.respond(401, body));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(e.getMessage()).doesNotContain(KEY).contains("***");
    assertThat(e.rawBody()).hasValueSatisfying(raw -> assertThat(raw).doesNotContain(KEY));
    assertThat(provider.toString()).doesNotContain(KEY);
  }
}
