package dev.ballast.pipeline.spi;

import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import java.time.Instant;

/**
 * How {@code generate} and {@code embed} stages reach model groups: through the gateway's own
 * resilience chain (routing, breakers, retry budgets, failover), never around it. The gateway
 * provides the implementation; tests may provide their own.
 *
 * <p>Failures are thrown as {@link dev.ballast.core.ProviderException} with the error class of the
 * failure table; {@link dev.ballast.core.ErrorClass#REJECTED} (every deployment refused: breakers
 * open, cooling down) parks the run instead of counting an attempt.
 */
public interface ModelCalls {

  ChatResponse chat(Call call, ChatRequest request);

  EmbeddingResponse embed(Call call, EmbeddingRequest request);

  /**
   * Checked before a stage that calls a model starts, so that a run whose tenant has spent its
   * budget stops at the stage boundary instead of inside the stage. Does nothing by default.
   *
   * @throws dev.ballast.core.pipeline.StageException a {@link
   *     dev.ballast.core.pipeline.StageException#halt halting} one ({@code budget_exceeded}) when
   *     the tenant's budget has no room left
   */
  default void requireBudget(String tenant) {}

  /**
   * Who is calling.
   *
   * @param callId a run id for the call's own journal: {@code runId/stage/attempt@fence}, unique
   *     per attempt and lease ({@link dev.ballast.core.pipeline.StageContext#callId()}), so the
   *     provider attempts of a stage can be found from the stage
   * @param deadline the stage attempt's deadline; the call must not outlive it
   */
  record Call(
      String runId, String stage, int attempt, String tenant, String callId, Instant deadline) {}
}
