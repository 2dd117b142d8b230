package dev.ballast.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.config.ContinuationMode;
import dev.ballast.core.model.ChatDelta;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What of a continuation reaches the client after the text it already holds. */
class OverlapFilterTest {
  private static final String DELIVERED = "The gateway keeps answering while the upstream";

  @Test
  void anInstructedContinuationThatRepeatsTheLastWordsLosesThem() {
    OverlapFilter filter = new OverlapFilter(DELIVERED, ContinuationMode.INSTRUCTION);
    String sent = through(filter, " the", " upstream", " fails", " and", " recovers.");
    assertThat(sent).isEqualTo(" fails and recovers.");
    assertThat(filter.stripped()).isEqualTo(" the upstream".length());
  }

  @Test
  void anInstructedContinuationThatRepeatsNothingIsSentWhole() {
    OverlapFilter filter = new OverlapFilter(DELIVERED, ContinuationMode.INSTRUCTION);
    assertThat(through(filter, " fails", " and", " recovers.")).isEqualTo(" fails and recovers.");
    assertThat(filter.stripped()).isZero();
  }

  @Test
  void aShortCoincidenceIsNotTakenForARepetition() {
    OverlapFilter filter = new OverlapFilter("I said no", ContinuationMode.INSTRUCTION);
    assertThat(through(filter, "o", " way.")).isEqualTo("o way.");
  }

  @Test
  void aPrefilledContinuationLosesOnlyTheWhitespaceThePrefillLeftOut() {
    OverlapFilter filter = new OverlapFilter("Hello there ", ContinuationMode.PREFILL);
    assertThat(through(filter, " world", " there")).isEqualTo("world there");
    assertThat(filter.stripped()).isEqualTo(1);
  }

  @Test
  void aPrefilledContinuationPassesAtOnce() {
    OverlapFilter filter = new OverlapFilter("Hello there", ContinuationMode.PREFILL);
    assertThat(filter.accept(ChatDelta.text(" there"))).isEqualTo(ChatDelta.text(" there"));
  }

  @Test
  void aToolCallReleasesWhatIsHeld() {
    OverlapFilter filter = new OverlapFilter(DELIVERED, ContinuationMode.INSTRUCTION);
    assertThat(filter.accept(ChatDelta.text(" upstream"))).isNull();
    ChatDelta call =
        new ChatDelta(null, List.of(new ChatDelta.ToolCallDelta(0, "c1", "lookup", "{}")));
    ChatDelta out = filter.accept(call);
    assertThat(out.content()).isNull();
    assertThat(out.toolCalls()).isEqualTo(call.toolCalls());
  }

  private static String through(OverlapFilter filter, String... pieces) {
    StringBuilder sent = new StringBuilder();
    for (String piece : pieces) {
      ChatDelta out = filter.accept(ChatDelta.text(piece));
      if (out != null && out.content() != null) {
        sent.append(out.content());
      }
    }
    ChatDelta rest = filter.flush();
    if (rest != null) {
      sent.append(rest.content());
    }
    return sent.toString();
  }
}
