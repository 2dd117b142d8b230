package dev.ballast.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.ContentPart;
import dev.ballast.core.model.FinishReason;
import dev.ballast.core.model.Message;
import dev.ballast.core.model.Role;
import dev.ballast.core.model.ToolCall;
import dev.ballast.core.model.Usage;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Shapes read from answers journaled exactly as the chain writes them (the normalized JSON). */
class AnswerShapeTest {
  private static final List<Pattern> REFUSALS =
      List.of(Pattern.compile("(?i)I can(?:no|')t help with"));
  private static final Usage USAGE = new Usage(10, 5, 0, 0, false);

  @Test
  void anAnswerWithTextIsNeitherEmptyNorARefusal() {
    AnswerShape shape = shape(answer(Message.text(Role.ASSISTANT, "Paris.")), "stop");

    assertThat(shape).isEqualTo(new AnswerShape(false, false, false));
  }

  @Test
  void blankTextIsEmptyButAToolCallIsNot() {
    assertThat(shape(answer(Message.text(Role.ASSISTANT, "  \n")), "stop").empty()).isTrue();
    Message call =
        new Message(
            Role.ASSISTANT,
            List.of(),
            null,
            List.of(new ToolCall("c1", "lookup", "{\"q\":\"x\"}")),
            null);
    assertThat(shape(answer(call), "tool_calls").empty()).isFalse();
  }

  @Test
  void textSplitOverPartsIsMatchedWholeAgainstRefusalPatterns() {
    Message parts =
        new Message(
            Role.ASSISTANT,
            List.of(
                new ContentPart.Text("Sorry, I can"), new ContentPart.Text("'t help with that")),
            null,
            List.of(),
            null);

    assertThat(shape(answer(parts), "stop").refusal()).isTrue();
  }

  @Test
  void theProvidersRefusalAndTheLengthLimitComeFromTheFinishReason() {
    Payload answer = answer(Message.text(Role.ASSISTANT, "partial"));

    assertThat(shape(answer, "content_filter").refusal()).isTrue();
    assertThat(shape(answer, "length").length()).isTrue();
  }

  @Test
  void withoutReadableContentAnAnswerIsEmptyOnlyWhenItHadNoOutputTokens() {
    Payload notJson = Payload.of("not json at all {");
    Payload truncated = Payload.of("{\"message\":{\"content\":[{\"text\":\"abc");

    assertThat(AnswerShape.of(completed(null, "stop", USAGE), REFUSALS).empty()).isFalse();
    assertThat(AnswerShape.of(completed(null, "stop", Usage.ZERO), REFUSALS).empty()).isTrue();
    assertThat(AnswerShape.of(completed(notJson, "stop", Usage.ZERO), REFUSALS).empty()).isTrue();
    assertThat(AnswerShape.of(completed(truncated, "stop", USAGE), REFUSALS).empty()).isFalse();
  }

  private static AnswerShape shape(Payload response, String finishReason) {
    return AnswerShape.of(completed(response, finishReason, USAGE), REFUSALS);
  }

  private static RunCompleted completed(Payload response, String finishReason, Usage usage) {
    return new RunCompleted("d", "m", finishReason, usage, 0.0, 1.0, response);
  }

  /** The answer as the chain journals it: the normalized response, serialized. */
  private static Payload answer(Message message) {
    ChatResponse response =
        new ChatResponse("id-1", "m", "fp", message, FinishReason.STOP, USAGE, List.of(), "{}");
    try {
      return Payload.of(Json.mapper().writeValueAsBytes(response));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
