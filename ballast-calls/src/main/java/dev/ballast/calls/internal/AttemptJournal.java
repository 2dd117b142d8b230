package dev.ballast.calls.internal;

import dev.ballast.calls.Deployment;
import dev.ballast.calls.Redactor;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.model.Usage;
import dev.ballast.core.normalize.TokenCounter;

/** Turns an attempt's outcome into its {@code ProviderAttempt} event, for chat and embeddings. */
final class AttemptJournal {
  private AttemptJournal() {}

  static <R> void answered(int number, AttemptExchange<R> attempt, CallAnswer<R> answer) {
    Operation<R> op = attempt.exchange().operation();
    Operation.AttemptFacts facts = op.facts(answer.response());
    // A continuation's answer carries the usage of the attempts it continues; its own event
    // states only what it used.
    Usage own =
        attempt.continuation() == null
            ? facts.usage()
            : Usages.minus(facts.usage(), attempt.exchange().carriedUsage());
    op.call()
        .run()
        .record(
            continued(
                    ProviderAttempt.answered(
                        site(number, attempt),
                        answer.ttftMs(),
                        own,
                        answer.cost(),
                        facts.responseModel(),
                        facts.systemFingerprint(),
                        facts.repairs(),
                        op.rawPayload(answer.response()),
                        answer.payload()),
                    attempt)
                .withFindings(attempt.checkFailures(), attempt.identityMismatch()));
  }

  static <R> void failed(
      int number, AttemptExchange<R> attempt, ProviderException e, NextStep next) {
    Operation<R> op = attempt.exchange().operation();
    ProviderAttempt failed =
        ProviderAttempt.failed(
            site(number, attempt),
            e.errorClass(),
            e.httpStatus(),
            e.getMessage(),
            next.decision(),
            next.target(),
            op.keepsRawErrors()
                ? Redactor.payload(op.call().tenant(), e.rawBody().orElse(null))
                : null);
    ProviderAttempt event = continued(withDelivered(failed, attempt), attempt);
    if (next.kind() == NextStep.Kind.CONTINUE) {
      // The text this attempt delivered is the start of the answer the next attempt continues.
      attempt.exchange().continued(event.usage(), event.cost());
    }
    op.call().run().record(event.withFindings(attempt.checkFailures(), attempt.identityMismatch()));
  }

  /** The event of an attempt that continued a stream says from where and how. */
  private static ProviderAttempt continued(ProviderAttempt event, AttemptExchange<?> attempt) {
    AttemptExchange.Continued c = attempt.continuation();
    if (c == null) {
      return event;
    }
    return event.withContinuation(
        new ProviderAttempt.Continuation(
            c.deliveredChars(), c.form().wireName(), attempt.overlapChars()));
  }

  /**
   * The attempt ended because the client went away while it was being answered: journaled like any
   * attempt (it cost tokens), with what reached the client.
   */
  static <R> void abandoned(int number, AttemptExchange<R> attempt) {
    Operation<R> op = attempt.exchange().operation();
    ProviderAttempt abandoned =
        ProviderAttempt.abandonedByClient(
            site(number, attempt), "the client closed the connection during the answer");
    op.call().run().record(continued(withDelivered(abandoned, attempt), attempt));
  }

  /**
   * A failed attempt that had streamed text to the client carries the tokens of that text and their
   * cost (estimated locally and marked so, since the provider never sent its usage), and the call
   * is told what it spent without an answer.
   */
  private static <R> ProviderAttempt withDelivered(
      ProviderAttempt attempt, AttemptExchange<R> exchange) {
    String text = exchange.deliveredText();
    if (text.isEmpty()) {
      return attempt;
    }
    Operation<R> op = exchange.exchange().operation();
    Usage usage = new Usage(op.inputTokens(), TokenCounter.count(text), 0, 0, true);
    double cost = exchange.deployment().config().price().cost(usage);
    exchange.exchange().spentWithoutAnswer(usage.outputTokens(), cost);
    return attempt.withDelivered(exchange.ttftMs(), usage, cost);
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
