package dev.ballast.calls.internal;

import java.util.List;

/**
 * One step of the model-call chain with one job, done around the rest of the chain: it may act
 * before, after, instead of, or whatever happens in, the steps after it (the shape of OkHttp's
 * interceptors). The steps are listed, in order, in {@link dev.ballast.calls.ModelCallChain}.
 */
public interface CallStep {

  /** The call's answer; null when a streamed answer failed after reaching the client. */
  <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest);

  /** The steps after this one. */
  interface Rest<R> {
    CallAnswer<R> proceed(CallExchange<R> call);
  }

  /** Runs {@code call} through {@code steps} from the first; the last step must not proceed. */
  static <R> CallAnswer<R> run(List<CallStep> steps, CallExchange<R> call) {
    return run(steps, 0, call);
  }

  private static <R> CallAnswer<R> run(List<CallStep> steps, int index, CallExchange<R> call) {
    if (index == steps.size()) {
      throw new IllegalStateException("the chain's last step must answer the call");
    }
    return steps.get(index).apply(call, next -> run(steps, index + 1, next));
  }
}
