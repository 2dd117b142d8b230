package dev.ballast.calls.internal;

import dev.ballast.calls.CallFailures;
import dev.ballast.calls.CallRefusedException;
import dev.ballast.calls.Deployment;
import dev.ballast.calls.FailureAnswer;
import dev.ballast.calls.Redactor;
import dev.ballast.core.ProviderException;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.Pins;
import java.io.UncheckedIOException;

/**
 * Journal: the one template that makes a model call a run, for chat and embeddings from every
 * caller (clients, pipeline stages, indexing, replay).
 *
 * <p>Invariant: a call that passed {@link ResolveRoute} produces exactly one {@code RunStarted},
 * then exactly one terminal event ({@code RunCompleted} or {@code RunFailed}) whatever the rest of
 * the chain throws, an {@link Error} included: the catch ladder names the failures it knows, and
 * {@code finally} records any other. A journal never ends mid-air, so no run stays {@code running}
 * after its call returned.
 */
public final class JournalRun implements CallStep {
  private final String configVersion;

  public JournalRun(String configVersion) {
    this.configVersion = configVersion;
  }

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    Operation<R> op = call.operation();
    call.started(System.nanoTime());
    op.call()
        .run()
        .record(
            new RunStarted(
                op.call().origin().runKind(),
                op.name(),
                op.api(),
                op.call().tenant().name(),
                op.model(),
                op.streamed(),
                new Pins(
                    configVersion,
                    call.group().name(),
                    call.route().stream().map(Deployment::name).toList()),
                Redactor.payload(op.call().tenant(), op.requestJson()),
                op.call().run().keyId()));
    boolean ended = false;
    try {
      CallAnswer<R> answer = rest.proceed(call);
      ended = true;
      op.call().run().record(op.completed(answer, call.millisSinceStart()));
      return answer;
    } catch (ProviderException e) {
      FailureAnswer failure = CallFailures.answer(e).orElseThrow();
      ended = true;
      boolean inBand = op.stream() != null && call.delivered();
      // The journal records what the client received: after part of a stream, a 200 whose end
      // is an error event (with this error class), not the status it would have had.
      failed(call, e.errorClass().wireName(), inBand ? 200 : failure.status(), e.getMessage());
      if (inBand) {
        // The client already holds part of the answer: the stream ends with an error event, never
        // a clean finish, and there is no status left to answer with.
        op.stream().fail(failure);
        return null;
      }
      throw e;
    } catch (CallRefusedException e) {
      FailureAnswer failure = CallFailures.answer(e).orElseThrow();
      ended = true;
      failed(call, failure.code(), failure.status(), e.getMessage());
      throw e;
    } catch (UncheckedIOException clientGone) {
      ended = true;
      failed(call, "client_disconnected", 499, "the client closed the connection");
      throw clientGone;
    } catch (RuntimeException e) {
      ended = true;
      failed(call, "internal_error", 500, String.valueOf(e));
      throw e;
    } catch (Error e) {
      ended = true;
      failed(call, "internal_error", 500, String.valueOf(e));
      throw e;
    } finally {
      if (!ended) {
        // Only a checked exception thrown sneakily gets here; the run still gets its end.
        failed(call, "internal_error", 500, "the call ended without an answer");
      }
    }
  }

  private static void failed(CallExchange<?> call, String error, int status, String message) {
    call.operation()
        .call()
        .run()
        .record(new RunFailed(error, status, message, call.delivered(), call.millisSinceStart()));
  }
}
