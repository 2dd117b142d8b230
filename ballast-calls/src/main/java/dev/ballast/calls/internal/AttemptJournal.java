package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Redactor;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import java.util.List;

/** Turns an attempt's outcome into its {@code ProviderAttempt} event, for chat and embeddings. */
final class AttemptJournal {
  private AttemptJournal() {}

  static <R> void answered(int number, Attempt<R> attempt, Answer<R> answer) {
    Operation<R> op = attempt.call().operation();
    Deployment d = attempt.deployment();
    Operation.AttemptFacts facts = op.facts(answer.response());
    op.run()
        .record(
            new ProviderAttempt(
                number,
                d.name(),
                d.provider().name(),
                d.config().model(),
                "ok",
                200,
                null,
                attempt.millisSinceStart(),
                answer.ttftMs(),
                facts.usage(),
                answer.cost(),
                facts.responseModel(),
                facts.systemFingerprint(),
                attempt.breakerState(),
                "answered",
                facts.repairs(),
                op.rawPayload(answer.response()),
                answer.payload()));
  }

  static <R> void failed(int number, Attempt<R> attempt, ProviderException e, String decision) {
    Operation<R> op = attempt.call().operation();
    Deployment d = attempt.deployment();
    op.run()
        .record(
            new ProviderAttempt(
                number,
                d.name(),
                d.provider().name(),
                d.config().model(),
                e.errorClass().wireName(),
                e.httpStatus(),
                e.getMessage(),
                attempt.millisSinceStart(),
                null,
                null,
                0,
                null,
                null,
                attempt.breakerState(),
                decision,
                List.of(),
                op.keepsRawErrors()
                    ? Redactor.payload(op.tenant(), e.rawBody().orElse(null))
                    : null,
                null));
  }
}
