package dev.ballast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.Json;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Repair;
import dev.ballast.core.model.ResponseFormat;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolDefinition;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SimulatorProviderTest {
  static final Timeouts SHORT =
      new Timeouts(
          Duration.ofMillis(100),
          Duration.ofMillis(150),
          Duration.ofMillis(150),
          Duration.ofSeconds(2));
  static final ChatRequest HELLO =
      ChatRequest.of("group", List.of(Message.text(Role.USER, "Hello simulator")));

  final Simulator sim = new Simulator(3, Instant::now, Map.of("down", "status=503"));
  final SimulatorProvider provider = sim.provider("offline");

  static CallOptions options(String model) {
    return new CallOptions(model, SHORT);
  }

  @Test
  void answersDeterministicallyAndRecordsTheAttempt() {
    ChatResponse response = provider.chat(HELLO, options("sim"));
    assertThat(provider.name()).isEqualTo("offline");
    assertThat(provider.system()).isEqualTo("simulator");
    assertThat(response.message().text()).startsWith("Simulated answer to: Hello simulator");
    assertThat(response.usage().outputTokens()).isEqualTo(16);
    assertThat(sim.attempts("sim"))
        .singleElement()
        .satisfies(a -> assertThat(a.api()).isEqualTo("in-process"));
  }

  @Test
  void streamDeltasAddUpToTheAggregatedAnswer() {
    List<ChatDelta> deltas = new CopyOnWriteArrayList<>();
    ChatResponse response = provider.chatStream(HELLO, options("sim:tokens=7"), deltas::add);
    assertThat(deltas).hasSize(7);
    assertThat(deltas.stream().map(ChatDelta::content).reduce("", String::concat))
        .isEqualTo(response.message().text());
  }

  @Test
  void mapsFailuresToErrorClasses() {
    assertThat(failure("sim:status=429,retry_after=3"))
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED))
        .satisfies(e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3)));
    assertThat(failure("down").errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(failure("down").httpStatus()).isEqualTo(503);
    assertThat(failure("sim:reset").errorClass()).isEqualTo(ErrorClass.CONNECTION_RESET);
    assertThat(failure("sim:context_length"))
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH))
        .satisfies(e -> assertThat(e.providerCode()).hasValue("context_length_exceeded"));
    assertThat(failure("sim:content_policy").errorClass()).isEqualTo(ErrorClass.CONTENT_POLICY);
    assertThat(failure("sim:nonsense").errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
  }

  @Test
  void silenceWaitsForTheFirstTokenTimeoutThenFails() {
    long start = System.nanoTime();
    assertThat(failure("sim:silence").errorClass()).isEqualTo(ErrorClass.SILENCE);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(SHORT.firstToken());
    assertThat(sim.attempts("sim:silence")).extracting(Attempt::outcome).containsExactly("silence");
  }

  @Test
  void slowFirstTokenBeyondTheTimeoutIsClassified() {
    assertThat(streamFailure("sim:first_token_delay=5s", new ArrayList<>()).errorClass())
        .isEqualTo(ErrorClass.SLOW_FIRST_TOKEN);
  }

  @Test
  void stallAfterDeliversTokensThenFailsAsAStall() {
    List<ChatDelta> deltas = new ArrayList<>();
    assertThat(streamFailure("sim:stall_after=2", deltas).errorClass())
        .isEqualTo(ErrorClass.STREAM_STALL);
    assertThat(deltas).hasSize(2);
  }

  @Test
  void cutAfterDeliversTokensThenFailsAsTruncated() {
    List<ChatDelta> deltas = new ArrayList<>();
    assertThat(streamFailure("sim:cut_after=3", deltas).errorClass())
        .isEqualTo(ErrorClass.STREAM_TRUNCATED);
    assertThat(deltas).hasSize(3);
  }

  @Test
  void aFaultRateCutsOnlyThatShareOfTheStreamsAndPlaysTheRestWhole() {
    String model = "sim:cut_after=3,fault_rate=0.05";
    int cut = 0;
    for (int i = 0; i < 1000; i++) {
      List<ChatDelta> deltas = new ArrayList<>();
      try {
        provider.chatStream(HELLO, options(model), deltas::add);
      } catch (ProviderException e) {
        assertThat(e.errorClass()).isEqualTo(ErrorClass.STREAM_TRUNCATED);
        assertThat(deltas).hasSize(3);
        cut++;
      }
    }
    assertThat(cut).isBetween(25, 75);
    assertThat(sim.attempts(model)).filteredOn(a -> a.outcome().equals("cut")).hasSize(cut);
  }

  @Test
  void aSparedStreamFaultIsWrittenNone() {
    assertThat(SimulationSpec.parse("cut_after=3,cut_after=none").cutAfter()).isEqualTo(-1);
    assertThat(SimulationSpec.parse("fault_rate=0.2").faultRate()).isEqualTo(0.2);
    assertThatThrownBy(() -> SimulationSpec.parse("fault_rate=2"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("rate must be between 0 and 1");
  }

  @Test
  void latencyBeyondTheTotalTimeoutIsATimeout() {
    CallOptions tight =
        new CallOptions(
            "sim:latency=5s",
            new Timeouts(
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMillis(100)));
    assertThatThrownBy(() -> provider.chat(HELLO, tight))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT));
  }

  @Test
  void interruptionEndsTheWaitPromptly() throws Exception {
    List<ProviderException> caught = new CopyOnWriteArrayList<>();
    CallOptions slow = new CallOptions("sim:silence", Timeouts.DEFAULT);
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    provider.chat(HELLO, slow);
                  } catch (ProviderException e) {
                    caught.add(e);
                  }
                });
    org.awaitility.Awaitility.await().until(() -> !sim.attempts("sim:silence").isEmpty());
    caller.interrupt();
    caller.join(Duration.ofSeconds(2));
    assertThat(caught)
        .singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.DEADLINE_EXCEEDED));
  }

  @Test
  void toolArgumentDriftYieldsARepairAndValidArguments() throws Exception {
    JsonNode schema =
        Json.mapper()
            .readTree(
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"]}");
    ChatRequest request =
        new ChatRequest(
            "g",
            HELLO.messages(),
            List.of(new ToolDefinition("fetch", null, schema)),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            null);
    ChatResponse response = provider.chat(request, options("sim:drift=tool_args_object"));
    assertThat(response.message().toolCalls().getFirst().arguments()).isEqualTo("{\"id\":1}");
    assertThat(response.repairs())
        .extracting(Repair::kind)
        .containsExactly(Repair.Kind.TOOL_ARGUMENTS_OBJECT);
  }

  @Test
  void fencedJsonStaysInTheTextAndNoUsageIsNull() throws Exception {
    ChatRequest request =
        new ChatRequest(
            "g",
            HELLO.messages(),
            null,
            null,
            new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false),
            null,
            null,
            null,
            null,
            false,
            null);
    ChatResponse response =
        provider.chat(request, options("sim:drift=fenced_json,no_usage,tokens=3"));
    assertThat(response.message().text())
        .isEqualTo("```json\n{\"answer\":\"Simulated answer to:\"}\n```");
    assertThat(response.usage()).isNull();
  }

  @Test
  void errorRateIsRepeatableForTheSameSeed() {
    Function<Simulator, List<String>> outcomes =
        s -> {
          SimulatorProvider p = s.provider("p");
          for (int i = 0; i < 20; i++) {
            try {
              p.chat(HELLO, options("sim:error=0.5@503"));
            } catch (ProviderException ignored) {
              // Counted through the log.
            }
          }
          return s.attempts().stream().map(Attempt::outcome).toList();
        };
    List<String> first = outcomes.apply(new Simulator(11, Instant::now, Map.of()));
    assertThat(outcomes.apply(new Simulator(11, Instant::now, Map.of()))).isEqualTo(first);
    assertThat(first).contains("ok", "503");
  }

  @Test
  void embeddingsAreUnitVectorsOfTheRequestedDimension() {
    var response = provider.embed(new EmbeddingRequest("g", List.of("a", "b"), 32), options("sim"));
    assertThat(response.vectors()).hasSize(2);
    float[] v = response.vectors().getFirst();
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    assertThat(v).hasSize(32);
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void resetRestartsFailFirstCounters() {
    assertThat(failure("sim:fail_first=1").errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    provider.chat(HELLO, options("sim:fail_first=1"));
    sim.reset();
    assertThat(sim.attempts()).isEmpty();
    assertThat(failure("sim:fail_first=1").errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
  }

  private ProviderException failure(String model) {
    try {
      provider.chat(HELLO, options(model));
    } catch (ProviderException e) {
      return e;
    }
    throw new AssertionError("expected a failure for " + model);
  }

  private ProviderException streamFailure(String model, List<ChatDelta> deltas) {
    try {
      provider.chatStream(HELLO, options(model), deltas::add);
    } catch (ProviderException e) {
      return e;
    }
    throw new AssertionError("expected a failure for " + model);
  }
}
