package dev.ballast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.ErrorClass;
import dev.ballast.core.journal.Decision;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt.Continuation;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt.Site;
import org.junit.jupiter.api.Test;

/** {@code runs show} names the deployment a stream continued on and where it took over. */
class EventLineContinuationTest {

  @Test
  void aFailedAttemptNamesWhereTheStreamContinues() {
    ProviderAttempt cut =
        ProviderAttempt.failed(
            new Site(1, "a", "oa", "m", "closed", 12.5),
            ErrorClass.STREAM_TRUNCATED,
            0,
            "cut",
            Decision.CONTINUE,
            "b",
            null);
    assertThat(EventLine.of(cut)).contains("stream_truncated").endsWith("then continue:b");
  }

  @Test
  void aContinuingAttemptSaysWhereItTookOverAndHow() {
    ProviderAttempt answered =
        ProviderAttempt.answered(
                new Site(2, "b", "oa", "m", "closed", 30.0),
                5.0,
                null,
                0,
                "m",
                null,
                java.util.List.of(),
                null,
                null)
            .withContinuation(new Continuation(57, "instruction", 9));
    assertThat(EventLine.of(answered))
        .contains("#2 b (m) continuing after 57 chars (instruction, 9 repeated chars dropped)")
        .contains("then answered");
  }
}
