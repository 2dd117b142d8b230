package dev.ballast.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.IdentityMismatch;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.OutputCheckFailure;
import dev.ballast.core.model.ChatDelta;
import dev.ballast.core.model.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Output checks and version pins as links of the chain: a failed check or a changed model fails the
 * attempt with its own error class and fails over like a format violation; what the client already
 * has is recorded, never taken back; every finding is on the attempt's journal event.
 */
class OutputChecksAndPinsInTheChainTest {
  private static final String REFUSAL = "Sorry, I can't help with that.";
  private final ChainHarness h = new ChainHarness();

  private List<ProviderAttempt> attempts(String runId) {
    return h.events(runId).stream()
        .filter(ProviderAttempt.class::isInstance)
        .map(ProviderAttempt.class::cast)
        .toList();
  }

  @Test
  void aRefusalFailsOverToTheNextDeploymentAndTheJournalNamesTheRule() {
    h.provider("a").answering(REFUSAL);
    h.provider("b").answering("Paris is the capital.");

    ChatResponse answer = h.chain.chat(h.chat("checked", null, "run"));

    assertThat(answer.message().text()).isEqualTo("Paris is the capital.");
    List<ProviderAttempt> attempts = attempts("run");
    assertThat(attempts).hasSize(2);
    ProviderAttempt first = attempts.getFirst();
    assertThat(first.failure()).contains(ErrorClass.OUTPUT_CHECK_FAILED);
    assertThat(first.decision()).isEqualTo("failover:b");
    assertThat(first.checkFailures())
        .extracting(OutputCheckFailure::rule, OutputCheckFailure::enforced)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("refusal[0]", true));
    assertThat(first.error()).contains("refusal[0]").doesNotContain("Sorry");
    assertThat(attempts.get(1).ok()).isTrue();
    assertThat(attempts.get(1).checkFailures()).isEmpty();
  }

  @Test
  void whenNoAnswerPassesTheCallerIsToldOutputCheckFailed() {
    h.provider("a").answering("");
    h.provider("b").answering(REFUSAL);

    assertThatThrownBy(() -> h.chain.chat(h.chat("checked", null, "run")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.errorClass()).isEqualTo(ErrorClass.OUTPUT_CHECK_FAILED);
              FailureAnswer told = CallFailures.answer(e).orElseThrow();
              assertThat(told.status()).isEqualTo(502);
              assertThat(told.code()).isEqualTo("output_check_failed");
              assertThat(told.message()).contains("refusal[0]");
            });
    assertThat(attempts("run").getFirst().checkFailures())
        .extracting(OutputCheckFailure::rule)
        .containsExactly("non_empty");
    assertThat(h.events("run").getLast()).isInstanceOf(JournalEvent.RunFailed.class);
  }

  @Test
  void aStreamedAnswerThatReachedTheClientIsRecordedNotEnforced() {
    h.provider("a").answering(REFUSAL);
    Collecting client = new Collecting();

    ChatResponse answer = h.chain.chat(h.chat("checked", client, "run"));

    assertThat(answer.message().text()).isEqualTo(REFUSAL);
    assertThat(client.text()).isEqualTo(REFUSAL);
    assertThat(h.provider("b").calls()).isZero();
    ProviderAttempt only = attempts("run").getFirst();
    assertThat(only.ok()).isTrue();
    assertThat(only.checkFailures())
        .extracting(OutputCheckFailure::rule, OutputCheckFailure::enforced)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("refusal[0]", false));
  }

  @Test
  void aStreamedAnswerThatSentNothingYetIsEnforced() {
    h.provider("a").answering("");
    h.provider("b").answering("fine");
    Collecting client = new Collecting();

    h.chain.chat(h.chat("checked", client, "run"));

    assertThat(client.text()).isEqualTo("fine");
    assertThat(attempts("run").getFirst().failure()).contains(ErrorClass.OUTPUT_CHECK_FAILED);
  }

  @Test
  void aHeldBackStreamIsJudgedBeforeTheClientSeesAWord() {
    h.provider("a").answering(REFUSAL);
    h.provider("b").answering("Paris.");
    Collecting client = new Collecting();

    h.chain.chat(h.chat("checked-hold", client, "run"));

    assertThat(client.text()).isEqualTo("Paris.");
    assertThat(client.completed).isTrue();
    assertThat(attempts("run").getFirst().checkFailures().getFirst().enforced()).isTrue();
  }

  @Test
  void aRecordingPinReturnsTheAnswerAndMarksTheMismatch() {
    ChatResponse answer = h.chain.chat(h.chat("pinned", null, "run"));

    assertThat(answer.model()).isEqualTo("fake-model");
    ProviderAttempt only = attempts("run").getFirst();
    assertThat(only.ok()).isTrue();
    IdentityMismatch mismatch = only.identityMismatch();
    assertThat(mismatch.changed()).containsExactly(IdentityMismatch.MODEL);
    assertThat(mismatch.model()).isEqualTo("fake-model");
    assertThat(mismatch.expectedModel()).isEqualTo("pinned-model");
    assertThat(mismatch.onMismatch()).isEqualTo("record");
  }

  @Test
  void aFailingPinFailsOverAsModelChanged() {
    h.provider("b").answering("from b");

    ChatResponse answer = h.chain.chat(h.chat("strict", null, "run"));

    assertThat(answer.message().text()).isEqualTo("from b");
    ProviderAttempt first = attempts("run").getFirst();
    assertThat(first.failure()).contains(ErrorClass.MODEL_CHANGED);
    assertThat(first.decision()).isEqualTo("failover:b");
    assertThat(first.responseModel()).isEqualTo("fake-model");
    assertThat(first.identityMismatch().onMismatch()).isEqualTo("fail");
    assertThat(attempts("run").get(1).identityMismatch()).isNull();
  }

  @Test
  void aFailingPinHoldsAStreamBackSoItCanFailOver() {
    h.provider("b").answering("from b");
    Collecting client = new Collecting();

    h.chain.chat(h.chat("strict", client, "run"));

    assertThat(client.text()).isEqualTo("from b");
    assertThat(attempts("run").getFirst().failure()).contains(ErrorClass.MODEL_CHANGED);
  }

  private static final class Collecting implements ClientStream {
    final List<String> deltas = new ArrayList<>();
    boolean completed;

    @Override
    public void delta(ChatDelta delta) {
      if (delta.content() != null) {
        deltas.add(delta.content());
      }
    }

    @Override
    public void complete(ChatResponse response, double costUsd) {
      completed = true;
    }

    @Override
    public void fail(FailureAnswer failure) {}

    String text() {
      return String.join("", deltas);
    }
  }
}
