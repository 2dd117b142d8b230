package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Redactor;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;

/** Turns an attempt's outcome into its {@code ProviderAttempt} event, for chat and embeddings. */
final class AttemptJournal {
  private AttemptJournal() {}

  static <R> void answered(int number, AttemptExchange<R> attempt, CallAnswer<R> answer) {
    Operation<R> op = attempt.exchange().operation();
    Operation.AttemptFacts facts = op.facts(answer.response());
    op.call()
        .run()
        .record(
            ProviderAttempt.answered(
                site(number, attempt),
                answer.ttftMs(),
                facts.usage(),
                answer.cost(),
                facts.responseModel(),
                facts.systemFingerprint(),
                facts.repairs(),
                op.rawPayload(answer.response()),
                answer.payload()));
  }

  static <R> void failed(
      int number, AttemptExchange<R> attempt, ProviderException e, NextStep next) {
    Operation<R> op = attempt.exchange().operation();
    op.call()
        .run()
        .record(
            ProviderAttempt.failed(
                site(number, attempt),
                e.errorClass(),
                e.httpStatus(),
                e.getMessage(),
                next.decision(),
                next.target(),
                op.keepsRawErrors()
                    ? Redactor.payload(op.call().tenant(), e.rawBody().orElse(null))
                    : null));
  }

  private static ProviderAttempt.Site site(int number, AttemptExchange<?> attempt) {
    Deployment d = attempt.deployment();
    return new ProviderAttempt.Site(
        number,
        d.name(),
        d.provider().name(),
        d.config().model(),
        attempt.breakerState(),
        attempt.millisSinceStart());
  }
}
