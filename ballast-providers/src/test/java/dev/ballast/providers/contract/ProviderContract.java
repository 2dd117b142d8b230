package dev.ballast.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Provider;
import dev.ballast.core.spi.Timeouts;
import dev.ballast.simulator.Simulator;
import dev.ballast.simulator.SimulatorServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider compatibility kit: what every adapter must do against the simulator over real
 * sockets. A subclass supplies the adapter for a simulator base URL and declares what its wire
 * format cannot express; every other assertion holds for all adapters alike.
 *
 * <p>It lives in the providers' test sources rather than in {@code ballast-testkit} because the
 * simulator already uses the test kit for its own tests, and a compile dependency from the test kit
 * on the simulator would make a reactor cycle.
 *
 * <p>Each class starts one simulator server and one adapter; the attempt log is cleared before
 * every test, so each test sees only its own attempts. Timeouts are short, and each call is bounded
 * by a generous preemptive limit so that a hang fails instead of stalling the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderContract {
  private static final Duration FIRST_TOKEN = Duration.ofMillis(300);
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final Duration TOTAL = Duration.ofSeconds(5);
  private static final Duration HANG_LIMIT = Duration.ofSeconds(8);
  // Scheduling and connection set-up may add to a timeout; more than this is a missed deadline.
  private static final Duration MARGIN = Duration.ofSeconds(2);
  private static final ChatRequest QUESTION =
      ChatRequest.of("smart", List.of(Message.text(Role.USER, "What is ballast for?")));

  private final Simulator simulator = Simulator.create();
  private SimulatorServer server;
  private Provider provider;
  private final AtomicInteger callsMade = new AtomicInteger();

  /** The adapter under test, pointed at the simulator's server root. */
  protected abstract Provider provider(URI simulatorBase);

  /** Whether the wire format has an embeddings API. */
  protected boolean supportsEmbeddings() {
    return true;
  }

  /**
   * Whether the wire format ends a stream with a terminator after the final chunk ({@code [DONE]},
   * {@code message_stop}) that can be missing while finish reason and usage still arrived.
   */
  protected boolean hasStreamTerminator() {
    return true;
  }

  @BeforeAll
  void startSimulator() {
    server = simulator.server(0);
    provider = provider(server.baseUri());
    warmUp();
  }

  /**
   * The first calls of a fresh JVM load and compile the HTTP client, the JSON codecs and the
   * simulator's server, which can take longer than the short timeouts the tests use; one call of
   * each kind under the default timeouts takes that cost out of the tests.
   */
  private void warmUp() {
    CallOptions relaxed = new CallOptions("sim", Timeouts.DEFAULT);
    provider.chat(QUESTION, relaxed);
    provider.chatStream(QUESTION.withStream(true), relaxed, delta -> {});
    try {
      provider.chat(QUESTION, new CallOptions("sim:status=503", Timeouts.DEFAULT));
    } catch (ProviderException expected) {
      // Only the error path's warm-up matters.
    }
  }

  @AfterAll
  void stopSimulator() {
    provider.close();
    server.close();
  }

  @BeforeEach
  void clearAttemptLog() {
    simulator.reset();
  }

  @AfterEach
  void everyCallWasExactlyOneAttemptOnTheWire() {
    // Adapters never retry on their own; the resilience chain decides that.
    int calls = callsMade.getAndSet(0);
    assertThat(simulator.attempts()).hasSize(calls);
  }

  private static CallOptions options(String model) {
    return new CallOptions(model, new Timeouts(Duration.ofSeconds(2), FIRST_TOKEN, IDLE, TOTAL));
  }

  private ChatResponse chat(String model) {
    return chat(QUESTION, model);
  }

  private ChatResponse chat(ChatRequest request, String model) {
    callsMade.incrementAndGet();
    return assertTimeoutPreemptively(HANG_LIMIT, () -> provider.chat(request, options(model)));
  }

  private ChatResponse stream(String model, List<ChatDelta> deltas) {
    return stream(QUESTION, model, deltas);
  }

  private ChatResponse stream(ChatRequest request, String model, List<ChatDelta> deltas) {
    callsMade.incrementAndGet();
    return assertTimeoutPreemptively(
        HANG_LIMIT,
        () -> provider.chatStream(request.withStream(true), options(model), deltas::add));
  }

  private ProviderException failure(ThrowingSupplier<?> call) {
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> assertTimeoutPreemptively(HANG_LIMIT, call));
    assertThat(e).as("the call fails with a ProviderException").isNotNull();
    return e;
  }

  private ProviderException chatFailure(String model) {
    return failure(() -> chat(model));
  }

  private ProviderException streamFailure(String model, List<ChatDelta> deltas) {
    return failure(() -> stream(model, deltas));
  }

  private static String text(List<ChatDelta> deltas) {
    return deltas.stream()
        .map(ChatDelta::content)
        .filter(c -> c != null)
        .collect(Collectors.joining());
  }

  private static List<Repair.Kind> repairKinds(ChatResponse response) {
    return response.repairs().stream().map(Repair::kind).toList();
  }

  private static ChatRequest toolRequest() {
    JsonNode schema =
        Json.mapper()
            .createObjectNode()
            .put("type", "object")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "properties",
                Json.mapper()
                    .createObjectNode()
                    .set("city", Json.mapper().createObjectNode().put("type", "string")))
            .set("required", Json.mapper().createArrayNode().add("city"));
    ChatRequest plain =
        ChatRequest.of("smart", List.of(Message.text(Role.USER, "Weather in Oslo?")));
    return new ChatRequest(
        plain.model(),
        plain.messages(),
        List.of(new ToolDefinition("get_weather", "Current weather", schema)),
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null);
  }

  private static void assertJsonObjectArguments(ToolCall call) throws Exception {
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.id()).isNotBlank();
    JsonNode arguments = Json.mapper().readTree(call.arguments());
    assertThat(arguments.isObject()).as("arguments is a JSON object as text").isTrue();
    assertThat(arguments.path("city").isTextual()).isTrue();
  }

  // --- answers ---

  @Test
  void normalizesAPlainAnswer() {
    ChatResponse response = chat("sim");

    assertThat(response.message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(response.message().text()).startsWith("Simulated answer to:");
    assertThat(response.message().toolCalls()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isNotNull();
    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(response.usage().estimated()).isFalse();
    assertThat(response.model()).isNotBlank();
    assertThat(response.raw()).contains("Simulated answer to:");
    assertThat(response.repairs()).isEmpty();
  }

  @Test
  void streamsDeltasInOrderThatAggregateToTheSameText() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse streamed = stream("sim:tokens=12", deltas);
    ChatResponse whole = chat("sim:tokens=12");

    assertThat(deltas.stream().filter(ChatDelta::hasContent).count()).isGreaterThan(1);
    assertThat(text(deltas)).isEqualTo(streamed.message().text());
    assertThat(streamed.message().text()).isEqualTo(whole.message().text());
    assertThat(streamed.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(streamed.usage()).isEqualTo(whole.usage());
    assertThat(streamed.model()).isNotBlank();
    assertThat(streamed.raw()).isNotBlank();
    assertThat(streamed.repairs()).isEmpty();
  }

  @Test
  void normalizesAToolCallWithJsonStringArguments() throws Exception {
    ChatResponse response = chat(toolRequest(), "sim");

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls()).hasSize(1);
    assertJsonObjectArguments(response.message().toolCalls().getFirst());
    assertThat(response.repairs()).isEmpty();
  }

  @Test
  void aggregatesAStreamedToolCallWithJsonStringArguments() throws Exception {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = stream(toolRequest(), "sim", deltas);

    assertThat(deltas).anyMatch(d -> !d.toolCalls().isEmpty());
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls()).hasSize(1);
    assertJsonObjectArguments(response.message().toolCalls().getFirst());
    assertThat(response.message().toolCalls().getFirst().arguments())
        .isEqualTo(chat(toolRequest(), "sim").message().toolCalls().getFirst().arguments());
  }

  @Test
  void leavesUsageNullWhenTheProviderSendsNone() {
    assertThat(chat("sim:no_usage").usage()).isNull();
  }

  @Test
  void leavesUsageNullWhenAStreamCarriesNone() {
    assertThat(stream("sim:no_usage", new CopyOnWriteArrayList<>()).usage()).isNull();
  }

  // --- errors answered with a status ---

  @Test
  void classifies429AsRateLimitedWithRetryAfter() {
    ProviderException e = chatFailure("sim:status=429,retry_after=2");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
  }

  @Test
  void classifies503AsServerError() {
    ProviderException e = chatFailure("sim:status=503");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(e.httpStatus()).isEqualTo(503);
  }

  @Test
  void classifiesAStreamAnswered503AsServerError() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    assertThat(streamFailure("sim:status=503", deltas).errorClass())
        .isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(deltas).isEmpty();
  }

  @Test
  void classifiesAnOversizedPromptAsContextLength() {
    assertThat(chatFailure("sim:context_length").errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH);
  }

  @Test
  void classifiesARefusedPromptAsContentPolicy() {
    assertThat(chatFailure("sim:content_policy").errorClass()).isEqualTo(ErrorClass.CONTENT_POLICY);
  }

  // --- transport failures and deadlines ---

  @Test
  void classifiesAResetBeforeHeadersAsConnectionReset() {
    assertThat(chatFailure("sim:reset").errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
  }

  @Test
  void classifiesSilenceWithinTheFirstTokenTimeout() {
    long start = System.nanoTime();

    ProviderException e = chatFailure("sim:silence");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FIRST_TOKEN.plus(MARGIN));
  }

  @Test
  void classifiesASilentStreamWithinTheFirstTokenTimeout() {
    long start = System.nanoTime();

    ProviderException e = streamFailure("sim:silence", new CopyOnWriteArrayList<>());

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SILENCE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FIRST_TOKEN.plus(MARGIN));
  }

  @Test
  void classifiesALateFirstTokenAsSlowFirstToken() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e = streamFailure("sim:first_token_delay=5s", deltas);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SLOW_FIRST_TOKEN);
    assertThat(text(deltas)).isEmpty();
  }

  @Test
  void classifiesAStreamThatGoesQuietAsStreamStall() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e = streamFailure("sim:stall_after=2", deltas);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_STALL);
    assertThat(text(deltas)).isNotEmpty();
  }

  @Test
  void classifiesAStreamCutMidwayAsTruncatedAfterItsDeltas() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException e = streamFailure("sim:cut_after=3", deltas);

    assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
    assertThat(deltas.stream().filter(ChatDelta::hasContent).count()).isGreaterThan(1);
  }

  // --- repairs ---

  @Test
  void dropsAMalformedChunkAndRecordsARepair() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = stream("sim:malformed_chunk", deltas);

    assertThat(repairKinds(response)).contains(Repair.Kind.MALFORMED_CHUNK_DROPPED);
    assertThat(response.message().text()).isEqualTo(text(deltas)).isNotEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void finalizesAStreamWithoutItsTerminatorAndRecordsARepair() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = stream("sim:no_done", deltas);

    assertThat(response.message().text()).isEqualTo(text(deltas)).isNotEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isNotNull();
    if (hasStreamTerminator()) {
      assertThat(repairKinds(response)).containsExactly(Repair.Kind.MISSING_STREAM_TERMINATOR);
    } else {
      assertThat(response.repairs()).isEmpty();
    }
  }

  // --- embeddings ---

  @Test
  void embedsEachInputInOrder() {
    if (!supportsEmbeddings()) {
      // Refused before anything is sent, so no attempt is counted.
      assertThatThrownBy(() -> provider.embed(embedding(), options("sim")))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST));
      return;
    }
    callsMade.addAndGet(2);
    EmbeddingResponse response = provider.embed(embedding(), options("sim"));
    EmbeddingResponse second =
        provider.embed(new EmbeddingRequest("embedder", List.of("beta"), null), options("sim"));

    assertThat(response.vectors()).hasSize(2);
    assertThat(response.vectors()).allSatisfy(v -> assertThat(v).hasSize(16));
    assertThat(response.vectors().get(1)).isEqualTo(second.vectors().getFirst());
    assertThat(response.vectors().get(0)).isNotEqualTo(response.vectors().get(1));
    assertThat(response.raw()).isNotBlank();
  }

  private static EmbeddingRequest embedding() {
    return new EmbeddingRequest("embedder", List.of("alpha", "beta"), null);
  }

  // --- attempts ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sim",
        "sim:status=429,retry_after=2",
        "sim:status=503",
        "sim:fail_first=1@500",
        "sim:reset",
        "sim:silence"
      })
  void makesExactlyOneAttemptPerCall(String model) {
    try {
      chat(model);
    } catch (ProviderException expected) {
      // Failing is fine; only the number of attempts matters here.
    }
    assertThat(simulator.attempts(model)).hasSize(1);
  }
}
