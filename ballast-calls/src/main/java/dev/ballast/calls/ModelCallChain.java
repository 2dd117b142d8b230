package dev.ballast.calls;

import dev.ballast.calls.internal.Admit;
import dev.ballast.calls.internal.AttemptStep;
import dev.ballast.calls.internal.Attempts;
import dev.ballast.calls.internal.CallAnswer;
import dev.ballast.calls.internal.CallDeployment;
import dev.ballast.calls.internal.CallExchange;
import dev.ballast.calls.internal.CallStep;
import dev.ballast.calls.internal.ChatOperation;
import dev.ballast.calls.internal.CheckIdentity;
import dev.ballast.calls.internal.CheckOutput;
import dev.ballast.calls.internal.EmbedOperation;
import dev.ballast.calls.internal.JournalRun;
import dev.ballast.calls.internal.ResolveRoute;
import dev.ballast.calls.internal.SpreadLoad;
import dev.ballast.calls.internal.StreamToClient;
import dev.ballast.calls.internal.TakeBreakerPermit;
import dev.ballast.calls.internal.TakeBulkheadSlot;
import dev.ballast.calls.internal.ValidateOutput;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.normalize.ResponseValidator;
import java.util.List;

/**
 * Every model call Ballast makes, from a client, a pipeline stage, an index or a replay, goes
 * through this chain. Its steps, in order (the HTTP edge has already authenticated the caller, read
 * the deadline and priority, and answered a repeated {@code Idempotency-Key}):
 *
 * <ol>
 *   <li>{@link ResolveRoute route}: the model's group and the deployments to try, the group's own
 *       ordered by its load-spreading strategy ({@link SpreadLoad}); an unknown model is refused
 *       before a run exists;
 *   <li>{@link JournalRun journal}: {@code RunStarted}, then exactly one terminal event whatever is
 *       thrown;
 *   <li>{@link StreamToClient stream}: the rest of a streamed answer and its clean end;
 *   <li>{@link Admit admission}: the tenant's limits before, its spend after;
 *   <li>{@link Attempts attempts} over the route, each one {@link TakeBulkheadSlot bulkhead} →
 *       {@link TakeBreakerPermit breaker} → {@link CheckOutput check output} → {@link
 *       ValidateOutput validate} → {@link CheckIdentity check identity} → {@link CallDeployment
 *       call}, then classify and decide (retry, failover, larger context, give up; after part of a
 *       stream reached the client: continue it on the same or the next deployment, or give up).
 *       Each step works around the rest, so the answer comes back through them in reverse: the
 *       answering model is compared with the deployment's {@code expect}, then the answer is
 *       validated against the request, then judged by the group's {@code checks}.
 * </ol>
 *
 * <p>Failures are thrown typed: a provider's as {@link ProviderException} (its {@link
 * dev.ballast.core.ErrorClass} decided by {@link dev.ballast.core.FailureClassification}), the
 * chain's own refusals as {@link CallRefusedException}s; {@link CallFailures} says what a caller is
 * told about either. Thread-safe: one chain serves every call of a node.
 */
public final class ModelCallChain {
  // Replaced whole on a reload; a call reads it once, so it finishes on the routes it started with.
  private volatile List<CallStep> steps;
  private final Resilience resilience;
  private final Admission admission;
  private final ResponseValidator validator = new ResponseValidator();

  public ModelCallChain(
      BallastConfig config, Router router, Resilience resilience, Admission admission) {
    this.resilience = resilience;
    this.admission = admission;
    this.steps = steps(config, router);
  }

  /**
   * Swaps in the routes of a reloaded configuration ({@code router} built from it): calls from now
   * on resolve and journal against it, calls in flight finish on the routes they resolved. The
   * resilience policies and admission are the chain's own, reconfigured in place by their owner.
   */
  public void reconfigure(BallastConfig config, Router router) {
    this.steps = steps(config, router);
  }

  private List<CallStep> steps(BallastConfig config, Router router) {
    List<AttemptStep> attempt =
        List.of(
            new TakeBulkheadSlot(resilience),
            new TakeBreakerPermit(resilience),
            new CheckOutput(),
            new ValidateOutput(),
            new CheckIdentity(),
            new CallDeployment(resilience));
    return List.of(
        new ResolveRoute(router, new SpreadLoad(resilience)),
        new JournalRun(config.version()),
        new StreamToClient(),
        new Admit(admission),
        new Attempts(router, resilience, attempt));
  }

  /**
   * One chat call.
   *
   * @return the validated answer; null when a streamed answer failed after part of it reached the
   *     client (the stream was ended with an error event and the run journaled as failed)
   * @throws ProviderException when no deployment answered
   * @throws CallRefusedException when the chain refused the call
   */
  public ChatResponse chat(ChatCall call) {
    return chatAnswered(call).response();
  }

  /**
   * One chat call, with what it cost.
   *
   * @return the validated answer and its cost; a null response when a streamed answer failed after
   *     part of it reached the client
   * @throws ProviderException when no deployment answered
   * @throws CallRefusedException when the chain refused the call
   */
  public Answered<ChatResponse> chatAnswered(ChatCall call) {
    return answered(new CallExchange<>(new ChatOperation(call, validator)));
  }

  /**
   * One embeddings call.
   *
   * @throws ProviderException when no deployment answered
   * @throws CallRefusedException when the chain refused the call
   */
  public EmbeddingResponse embed(EmbedCall call) {
    return embedAnswered(call).response();
  }

  /**
   * One embeddings call, with what it cost.
   *
   * @throws ProviderException when no deployment answered
   * @throws CallRefusedException when the chain refused the call
   */
  public Answered<EmbeddingResponse> embedAnswered(EmbedCall call) {
    return answered(new CallExchange<>(new EmbedOperation(call)));
  }

  /**
   * A call's answer and its cost in USD: the answer's own plus the failed attempts the provider
   * bills (the number journaled and settled against the budget).
   *
   * @param response null when a streamed answer failed after part of it reached the client
   */
  public record Answered<R>(R response, double costUsd) {}

  private <R> Answered<R> answered(CallExchange<R> exchange) {
    CallAnswer<R> answer = CallStep.run(steps, exchange);
    return answer == null
        ? new Answered<>(null, exchange.unansweredCost())
        : new Answered<>(answer.response(), answer.cost() + exchange.unansweredCost());
  }
}
