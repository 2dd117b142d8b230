package dev.ballast.calls.internal;

import dev.ballast.calls.ModelChangedException;
import dev.ballast.core.config.ExpectedIdentity;
import dev.ballast.core.journal.IdentityMismatch;
import java.util.Optional;

/**
 * Check identity: the answering model and system fingerprint compared with the deployment's {@code
 * expect}, first thing after the call. A mismatch is noted on the attempt, so its journal event
 * carries it whatever happens next; with {@code on_mismatch: fail} it also fails the attempt as
 * {@code model_changed}, which fails over to the next deployment. A streamed answer has usually
 * reached the client before its model is known (it comes with the first chunk but is only compared
 * here, once the answer is complete): then the mismatch is recorded and the answer stands.
 */
public final class CheckIdentity implements AttemptStep {

  @Override
  public <R> CallAnswer<R> apply(AttemptExchange<R> attempt, Rest<R> rest) {
    CallAnswer<R> answer = rest.proceed(attempt);
    ExpectedIdentity expect = attempt.deployment().config().expect();
    if (expect.isEmpty()) {
      return answer;
    }
    Operation.AttemptFacts facts = attempt.exchange().operation().facts(answer.response());
    Optional<IdentityMismatch> mismatch =
        expect.mismatch(facts.responseModel(), facts.systemFingerprint());
    if (mismatch.isEmpty()) {
      return answer;
    }
    attempt.mismatched(mismatch.get());
    if (expect.onMismatch() == ExpectedIdentity.OnMismatch.FAIL
        && !attempt.exchange().delivered()) {
      throw new ModelChangedException(attempt.deployment().name(), mismatch.get());
    }
    return answer;
  }
}
