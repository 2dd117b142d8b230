package dev.ballast.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.spi.CallOptions;
import dev.ballast.core.spi.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The faults and answers stream continuation is tested with: an error event mid-stream, a server
 * that rejects an assistant prefill, and a model that continues a prefill exactly or an instruction
 * from a couple of tokens back.
 */
class ContinuationFaultsTest {
  static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5));
  static final Message QUESTION = Message.text(Role.USER, "Hello simulator");

  final Simulator sim = new Simulator(3, Instant::now, Map.of());
  final SimulatorProvider provider = sim.provider("offline");

  @Test
  void errorAfterSendsTokensThenFailsTheStream() {
    List<ChatDelta> deltas = new ArrayList<>();
    assertThatThrownBy(
            () ->
                provider.chatStream(
                    ChatRequest.of("g", List.of(QUESTION)),
                    new CallOptions("sim:error_after=4", TIMEOUTS),
                    deltas::add))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR));
    assertThat(deltas).hasSize(4);
  }

  @Test
  void rejectPrefillRefusesOnlyATrailingAssistantMessage() {
    CallOptions options = new CallOptions("sim:reject_prefill", TIMEOUTS);
    assertThat(provider.chat(ChatRequest.of("g", List.of(QUESTION)), options).message().text())
        .startsWith("Simulated answer");
    ChatRequest prefill =
        ChatRequest.of("g", List.of(QUESTION, Message.text(Role.ASSISTANT, "Simulated answer")));
    assertThatThrownBy(() -> provider.chat(prefill, options))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
              assertThat(e.getMessage()).contains("assistant prefill not supported");
            });
  }

  @Test
  void aPrefillIsContinuedExactlyFromWhereItEnds() {
    String full = answer(List.of(QUESTION));
    String start = full.substring(0, 30);
    String rest = answer(List.of(QUESTION, Message.text(Role.ASSISTANT, start)));
    assertThat(start + rest).isEqualTo(full);
  }

  @Test
  void anInstructionIsContinuedFromACoupleOfTokensBack() {
    String full = answer(List.of(QUESTION));
    String start =
        full.substring(0, full.indexOf(" simulator keeps") + " simulator keeps".length());
    String rest =
        answer(
            List.of(
                QUESTION,
                Message.text(Role.ASSISTANT, start),
                Message.text(
                    Role.USER,
                    "Your previous answer was cut off. Continue exactly from where this text"
                        + " ends: "
                        + start)));
    assertThat(rest).startsWith(" simulator keeps");
    assertThat(start + rest.substring(" simulator keeps".length())).isEqualTo(full);
  }

  private String answer(List<Message> messages) {
    ChatResponse r =
        provider.chat(ChatRequest.of("g", messages), new CallOptions("sim:tokens=20", TIMEOUTS));
    return r.message().text();
  }
}
