package dev.ballast.gateway.internal.assembly;

import dev.ballast.calls.Admission;
import dev.ballast.calls.BudgetExceededException;
import dev.ballast.calls.CallFailures;
import dev.ballast.calls.CallRefusedException;
import dev.ballast.calls.ChatCall;
import dev.ballast.calls.EmbedCall;
import dev.ballast.calls.ModelCallChain;
import dev.ballast.calls.Origin;
import dev.ballast.calls.RunRecorder;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.ProviderException;
import dev.ballast.core.config.CanaryConfig;
import dev.ballast.core.config.TenantConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.model.ChatRequest;
import dev.ballast.core.model.ChatResponse;
import dev.ballast.core.model.EmbeddingRequest;
import dev.ballast.core.model.EmbeddingResponse;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.pipeline.spi.ModelCalls;
import dev.ballast.resilience.Deadline;
import dev.ballast.resilience.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The model calls of {@code generate} and {@code embed} stages, served by the same services a
 * client's request reaches: routing, breakers, bulkheads, retry budgets, failover and validation
 * all apply. The tenant's request and token limits are skipped (the run was admitted when it was
 * submitted); its budget is not: each call reserves its largest cost and settles its real one, and
 * a call the budget refuses stops the run as {@code dead} with {@code budget_exceeded}, to be
 * resumed at its stage (docs/limits.md).
 *
 * <p>Each call is journaled as its own gateway run under {@code call.callId()}, which the stage
 * names in its output ({@code call_run_id}), so a stage's provider attempts can be read from it.
 * Calls run at {@link Priority#BATCH}: when deployments are saturated, people waiting on an answer
 * go first, and a shed pipeline call parks its run instead of spending an attempt.
 *
 * <p>Failures are thrown as {@link ProviderException} with the failure table's error class (see
 * {@link CallFailures#asProviderFailure}). Thread-safe.
 */
final class PipelineModelCalls implements ModelCalls {
  private final ModelCallChain chain;
  private final Admission admission;
  // The configuration running now: a reload may change tenants and their limits.
  private final Supplier<Map<String, TenantConfig>> tenants;
  private final JournalWriter journal;
  private final Clock clock;

  PipelineModelCalls(
      ModelCallChain chain,
      Admission admission,
      Supplier<Map<String, TenantConfig>> tenants,
      JournalWriter journal,
      Clock clock) {
    this.chain = chain;
    this.admission = admission;
    this.tenants = tenants;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public ChatResponse chat(Call call, ChatRequest request) {
    TenantConfig tenant = tenant(call);
    try {
      return chain.chat(
          new ChatCall(
              tenant,
              "pipeline",
              request.withStream(false),
              null,
              deadline(call),
              Priority.BATCH,
              Origin.PIPELINE,
              recorder(call)));
    } catch (BudgetExceededException e) {
      throw halted(e);
    } catch (CallRefusedException e) {
      throw CallFailures.asProviderFailure(e);
    }
  }

  @Override
  public EmbeddingResponse embed(Call call, EmbeddingRequest request) {
    TenantConfig tenant = tenant(call);
    try {
      return chain.embed(
          new EmbedCall(
              tenant, request, deadline(call), Priority.BATCH, Origin.PIPELINE, recorder(call)));
    } catch (BudgetExceededException e) {
      throw halted(e);
    } catch (CallRefusedException e) {
      throw CallFailures.asProviderFailure(e);
    }
  }

  @Override
  public void requireBudget(String tenant) {
    TenantConfig t = tenants.get().get(tenant);
    if (t == null) {
      return;
    }
    try {
      admission.requireBudget(t);
    } catch (BudgetExceededException e) {
      throw halted(e);
    } catch (CallRefusedException e) {
      // The limits could not be checked: the stage starts, and its call is admitted or refused.
    }
  }

  private static StageException halted(BudgetExceededException e) {
    return StageException.halt("budget_exceeded", e.getMessage(), e);
  }

  private TenantConfig tenant(Call call) {
    TenantConfig tenant = tenants.get().get(call.tenant());
    if (tenant == null && CanaryConfig.TENANT.equals(call.tenant())) {
      return CanaryConfig.TENANT_CONFIG; // a pipeline canary's run
    }
    if (tenant == null) {
      // Submitted through a node whose configuration has a tenant this one lacks.
      throw new ProviderException(
          ErrorClass.BAD_REQUEST,
          "tenant \"" + call.tenant() + "\" is not configured on this node");
    }
    return tenant;
  }

  private Deadline deadline(Call call) {
    Duration left = Duration.between(clock.instant(), call.deadline());
    return Deadline.after(left.isNegative() ? Duration.ZERO : left, clock);
  }

  /**
   * A recorder for the call's journal. A call id names a stage attempt under one lease ({@code
   * StageContext.callId}): an attempt number that comes again after a park or a resume comes under
   * a new lease, so each execution of a call has a journal of its own, starting at sequence 0.
   */
  private RunRecorder recorder(Call call) {
    return new RunRecorder(journal, clock, call.callId(), 0);
  }
}
