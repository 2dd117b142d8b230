package dev.ballast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Timeouts;
import dev.ballast.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Onsets ({@code onset=Nreq}, {@code onset=D}) and switches: a simulated model changes behaviour at
 * a stated request or moment, counted per model and timed on the simulator's clock, which the tests
 * move by hand; the shifts an onset typically turns on (latency, tokens, refusals, quality, format
 * drift, model and fingerprint) each do what they say.
 */
class OnsetsTest {
  static final ChatRequest QUESTION =
      ChatRequest.of("g", List.of(Message.text(Role.USER, "What is the capital of France?")));
  static final Timeouts GENEROUS =
      new Timeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  final MutableClock clock = new MutableClock();
  final Simulator sim = new Simulator(7, clock, Map.of("primary", "model_id=gpt-4o-2024-08-06"));
  final SimulatorProvider provider = sim.provider("offline");

  private ChatResponse ask(String model) {
    return provider.chat(QUESTION, new CallOptions(model, GENEROUS));
  }

  @Test
  void anOnsetAfterNRequestsChangesTheBehaviourFromTheNextOne() {
    String model = "sim:model_id=m-1,onset=3req,model_id=m-2,refusal=1";
    for (int i = 0; i < 3; i++) {
      assertThat(ask(model).model()).isEqualTo("m-1");
    }
    ChatResponse fourth = ask(model);
    assertThat(fourth.model()).isEqualTo("m-2");
    assertThat(fourth.message().text()).isEqualTo("I'm sorry, but I can't help with that.");
    assertThat(sim.attempts(model)).extracting(Attempt::outcome).endsWith("ok", "refusal");
  }

  @Test
  void aTimedOnsetFiresOnTheSimulatorsClockAndResetRestartsIt() {
    String model = "sim:fingerprint=fp_a,onset=30s,fingerprint=fp_b";
    assertThat(ask(model).systemFingerprint()).isEqualTo("fp_a");
    clock.advance(Duration.ofSeconds(29));
    assertThat(ask(model).systemFingerprint()).isEqualTo("fp_a");
    clock.advance(Duration.ofSeconds(1));
    assertThat(ask(model).systemFingerprint()).isEqualTo("fp_b");
    sim.reset();
    assertThat(ask(model).systemFingerprint()).isEqualTo("fp_a");
  }

  @Test
  void theLastOnsetThatFiredDecidesAndLaterDirectivesWin() {
    SimulationSpec spec =
        SimulationSpec.parse(
            "tokens=10,onset=2req,tokens=20,malformed_chunk,onset=4req,"
                + "tokens=5,malformed_chunk=false");
    assertThat(spec.onsets()).hasSize(2);
    assertThat(spec.at(1, Duration.ZERO).tokens()).isEqualTo(10);
    assertThat(spec.at(2, Duration.ZERO).tokens()).isEqualTo(10);
    SimulationSpec second = spec.at(3, Duration.ZERO);
    assertThat(second.tokens()).isEqualTo(20);
    assertThat(second.malformedChunk()).isTrue();
    assertThat(spec.at(5, Duration.ZERO).tokens()).isEqualTo(5);
    assertThat(spec.at(5, Duration.ZERO).malformedChunk()).isFalse();
    assertThat(spec.onsets().getFirst().afterRequests()).isEqualTo(2);
  }

  @Test
  void onsetsCountEachModelsRequestsApart() {
    String a = "sim:model_id=a,onset=1req,model_id=a2";
    String b = "sim:model_id=b,onset=1req,model_id=b2";
    assertThat(ask(a).model()).isEqualTo("a");
    assertThat(ask(b).model()).isEqualTo("b");
    assertThat(ask(a).model()).isEqualTo("a2");
  }

  @Test
  void refusesAnOnsetWithoutAUnit() {
    assertThatThrownBy(() -> SimulationSpec.parse("onset=100"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("100req")
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> SimulationSpec.parse("onset=0req")).hasMessageContaining("1req");
    assertThatThrownBy(() -> SimulationSpec.parse("refusal=1.5")).hasMessageContaining("1.5");
    assertThatThrownBy(() -> SimulationSpec.parse("latency_factor=0"))
        .hasMessageContaining("factor");
  }

  @Test
  void factorsScaleDelaysAndLength() {
    SimulationSpec spec =
        SimulationSpec.parse(
            "latency=20ms..40ms,token_delay=10ms,tokens=20,"
                + "latency_factor=1.5,tokens_factor=0.7");
    assertThat(spec.latency().min()).isEqualTo(Duration.ofMillis(30));
    assertThat(spec.latency().max()).isEqualTo(Duration.ofMillis(60));
    assertThat(spec.tokenDelay()).isEqualTo(Duration.ofMillis(15));
    assertThat(spec.tokens()).isEqualTo(14);
    assertThat(ask("sim:tokens=20,tokens_factor=0.5").usage().outputTokens()).isEqualTo(10);
  }

  @Test
  void aQualityDropAnswersOffTopicAtTheSameLength() {
    ChatResponse good = ask("sim:tokens=20");
    ChatResponse dropped = ask("sim:tokens=20,quality_drop=1");
    assertThat(good.message().text()).contains("capital of France");
    assertThat(dropped.message().text()).doesNotContain("France").startsWith("Here is some");
    assertThat(dropped.usage().outputTokens()).isEqualTo(good.usage().outputTokens());
  }

  @Test
  void ratesHitAboutTheirShareRepeatably() {
    int refused = 0;
    int drifted = 0;
    for (int i = 0; i < 1000; i++) {
      ChatResponse r = ask("sim:refusal=0.1,drift=model,drift_rate=0.2");
      refused += r.message().text().startsWith("I'm sorry") ? 1 : 0;
      drifted += r.model().endsWith("-2026-11-01") ? 1 : 0;
    }
    assertThat(refused).isBetween(60, 140);
    assertThat(drifted).isBetween(150, 250);
  }

  @Test
  void aSwitchAppliesAtOnceOnTopOfTheProfileUntilSwitchedBack() {
    assertThat(ask("primary").model()).isEqualTo("gpt-4o-2024-08-06");
    sim.switchTo("primary", "model_id=gpt-4o-2024-11-20");
    assertThat(ask("primary").model()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(ask("primary:tokens=3").model()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(ask("sim").model()).isEqualTo("sim");
    sim.switchTo("primary", "");
    assertThat(ask("primary").model()).isEqualTo("gpt-4o-2024-08-06");
    sim.switchTo("*", "refusal=1");
    assertThat(ask("sim").message().text()).startsWith("I'm sorry");
    sim.reset();
    assertThat(ask("sim").message().text()).startsWith("Simulated answer");
    assertThatThrownBy(() -> sim.switchTo("sim", "onset=3req,refusal=1"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("onset is not allowed here");
  }

  @Test
  void theAdminCallSwitchesAServedModelAndRefusesBadDirectives() throws Exception {
    try (SimulatorServer server = sim.server(0)) {
      SimClient client = new SimClient(server);
      HttpResponse<String> switched =
          client.post(
              "/_sim/switch", "{\"model\":\"primary\",\"directives\":\"fingerprint=fp_new\"}");
      assertThat(switched.statusCode()).isEqualTo(200);
      JsonNode answer =
          SimClient.json(
              client.post("/v1/chat/completions", SimClient.chat("primary", false)).body());
      assertThat(answer.path("system_fingerprint").asText()).isEqualTo("fp_new");
      assertThat(answer.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
      JsonNode listed = SimClient.json(client.get("/_sim/switches").body());
      assertThat(listed.path("switches").path("primary").asText()).isEqualTo("fingerprint=fp_new");

      HttpResponse<String> bad =
          client.post("/_sim/switch", "{\"model\":\"primary\",\"directives\":\"explode\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(SimClient.json(bad.body()).path("error").path("code").asText())
          .isEqualTo("invalid_simulator_spec");
      assertThat(client.post("/_sim/switch", "[]").statusCode()).isEqualTo(400);
    }
  }
}
