package dev.ballast.calls.internal;

/**
 * Finishes a streamed answer once the attempts have produced a valid one: sends what the client has
 * not yet received (a held-back structured answer is sent whole) and ends the stream. It runs
 * inside the journal, so a client that went away while it was being answered is journaled as such.
 */
public final class StreamToClient implements CallStep {

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    CallAnswer<R> answer = rest.proceed(call);
    if (call.operation().stream() != null) {
      call.operation().deliver(answer, call);
    }
    return answer;
  }
}
