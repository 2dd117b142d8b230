package dev.ballast.core.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.ballast.core.ErrorClass;
import dev.ballast.core.model.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A typed event in a run's append-only journal. Events are facts: once written they never change.
 * Large content is held in {@link Payload}s, stored once by hash.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JournalEvent.RunStarted.class, name = "RunStarted"),
  @JsonSubTypes.Type(value = JournalEvent.ProviderAttempt.class, name = "ProviderAttempt"),
  @JsonSubTypes.Type(value = JournalEvent.RunCompleted.class, name = "RunCompleted"),
  @JsonSubTypes.Type(value = JournalEvent.RunFailed.class, name = "RunFailed"),
  @JsonSubTypes.Type(value = JournalEvent.BreakerTransition.class, name = "BreakerTransition"),
  @JsonSubTypes.Type(value = JournalEvent.StageStarted.class, name = "StageStarted"),
  @JsonSubTypes.Type(value = JournalEvent.StageCompleted.class, name = "StageCompleted"),
  @JsonSubTypes.Type(value = JournalEvent.StageFailed.class, name = "StageFailed"),
  @JsonSubTypes.Type(value = JournalEvent.EffectRecorded.class, name = "EffectRecorded"),
  @JsonSubTypes.Type(value = JournalEvent.RunDead.class, name = "RunDead"),
  @JsonSubTypes.Type(value = JournalEvent.RunResumed.class, name = "RunResumed"),
  @JsonSubTypes.Type(value = JournalEvent.Retrieval.class, name = "Retrieval"),
  @JsonSubTypes.Type(value = JournalEvent.MemoryRead.class, name = "MemoryRead"),
  @JsonSubTypes.Type(value = JournalEvent.MemoryMutated.class, name = "MemoryMutated"),
  @JsonSubTypes.Type(value = JournalEvent.ContextAssembled.class, name = "ContextAssembled"),
  @JsonSubTypes.Type(value = JournalEvent.ReplayOf.class, name = "ReplayOf"),
  @JsonSubTypes.Type(value = JournalEvent.CanaryChecked.class, name = "CanaryChecked"),
  @JsonSubTypes.Type(value = JournalEvent.AlertChanged.class, name = "AlertChanged")
})
public sealed interface JournalEvent {

  /** The event type name as stored. */
  @JsonIgnore
  default String typeName() {
    return getClass().getSimpleName();
  }

  /** The payloads this event references, to be stored with it. */
  @JsonIgnore
  default List<Payload> payloads() {
    return List.of();
  }

  /**
   * The run began.
   *
   * @param kind {@code gateway} or {@code pipeline}
   * @param operation the front door: {@code chat}, {@code embeddings}
   * @param api the wire format the client used: {@code openai}, {@code openai.responses} ({@code
   *     openai.responses.unstored} with {@code store: false}), {@code openai.completions}, {@code
   *     anthropic}
   * @param model the public model name requested
   * @param request the normalized request (after redaction), or null when capture is off
   * @param keyId the managed key that made the call, or null (a configuration key's call, a
   *     pipeline's, an index's)
   */
  record RunStarted(
      String kind,
      String operation,
      String api,
      String tenant,
      String model,
      boolean stream,
      Pins pins,
      Payload request,
      String keyId)
      implements JournalEvent {

    /** A run no managed key started. */
    public RunStarted(
        String kind,
        String operation,
        String api,
        String tenant,
        String model,
        boolean stream,
        Pins pins,
        Payload request) {
      this(kind, operation, api, tenant, model, stream, pins, request, null);
    }

    @Override
    public List<Payload> payloads() {
      return nonNull(request);
    }
  }

  /**
   * One call to one deployment. Built with {@link #answered} or {@link #failed}.
   *
   * @param outcome {@code ok} or an {@link ErrorClass} wire name (read it with {@link #ok()} and
   *     {@link #failure()})
   * @param ttftMs time to the first token for streams, null otherwise
   * @param cost the attempt's cost in USD from the deployment's price table
   * @param breakerState the deployment's circuit-breaker state seen by the attempt, or null when no
   *     breaker guards it
   * @param decision what the chain did next, as {@link Decision#journaled} writes it (read it with
   *     {@link #decided} and {@link Decision#target})
   * @param repairs normalization repairs applied to the response
   * @param checkFailures the output checks of the model group ({@code groups.NAME.checks}) that the
   *     answer failed: one with {@code enforced} on an attempt that failed as {@code
   *     output_check_failed}, any number recorded only on an answer that streamed to the client
   *     before it could be judged; empty when every check passed (not written to the journal then)
   * @param identityMismatch set when the answering model or system fingerprint is not what the
   *     deployment's {@code expect} pins, on an answered attempt ({@code on_mismatch: record}) or a
   *     failed one ({@code model_changed}); null otherwise
   */
  record ProviderAttempt(
      int attempt,
      String deployment,
      String provider,
      String upstreamModel,
      String outcome,
      int httpStatus,
      String error,
      double latencyMs,
      Double ttftMs,
      Usage usage,
      double cost,
      String responseModel,
      String systemFingerprint,
      String breakerState,
      String decision,
      List<String> repairs,
      Payload rawResponse,
      Payload response,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<OutputCheckFailure> checkFailures,
      IdentityMismatch identityMismatch,
      @JsonInclude(JsonInclude.Include.NON_NULL) Continuation continuation)
      implements JournalEvent {
    /** The outcome string of an attempt that answered. */
    public static final String OK = "ok";

    /** The outcome string of an attempt the client walked away from while it was answered. */
    public static final String CLIENT_DISCONNECTED = "client_disconnected";

    @JsonCreator
    public ProviderAttempt {
      checkFailures = checkFailures == null ? List.of() : List.copyOf(checkFailures);
    }

    /** An attempt without check failures or identity mismatch, as events were before them. */
    public ProviderAttempt(
        int attempt,
        String deployment,
        String provider,
        String upstreamModel,
        String outcome,
        int httpStatus,
        String error,
        double latencyMs,
        Double ttftMs,
        Usage usage,
        double cost,
        String responseModel,
        String systemFingerprint,
        String breakerState,
        String decision,
        List<String> repairs,
        Payload rawResponse,
        Payload response) {
      this(
          attempt,
          deployment,
          provider,
          upstreamModel,
          outcome,
          httpStatus,
          error,
          latencyMs,
          ttftMs,
          usage,
          cost,
          responseModel,
          systemFingerprint,
          breakerState,
          decision,
          repairs,
          rawResponse,
          response,
          List.of(),
          null,
          null);
    }

    /**
     * Which attempt of a call went to which deployment, in which breaker state, and how long it
     * took: what every attempt's event states.
     *
     * @param attempt 1 for the call's first attempt
     * @param provider the provider's configured name
     * @param upstreamModel the model the deployment asked the provider for
     */
    public record Site(
        int attempt,
        String deployment,
        String provider,
        String upstreamModel,
        String breakerState,
        double latencyMs) {}

    /** An attempt whose answer the chain returned. */
    public static ProviderAttempt answered(
        Site site,
        Double ttftMs,
        Usage usage,
        double cost,
        String responseModel,
        String systemFingerprint,
        List<String> repairs,
        Payload rawResponse,
        Payload response) {
      return new ProviderAttempt(
          site.attempt(),
          site.deployment(),
          site.provider(),
          site.upstreamModel(),
          OK,
          200,
          null,
          site.latencyMs(),
          ttftMs,
          usage,
          cost,
          responseModel,
          systemFingerprint,
          site.breakerState(),
          Decision.ANSWERED.wireName(),
          repairs,
          rawResponse,
          response);
    }

    /**
     * An attempt that failed, and what the chain did next.
     *
     * @param httpStatus the upstream status, 0 below HTTP
     * @param target where a failover or a larger-context move sent the call, else null
     */
    public static ProviderAttempt failed(
        Site site,
        ErrorClass failure,
        int httpStatus,
        String message,
        Decision next,
        String target,
        Payload rawResponse) {
      return new ProviderAttempt(
          site.attempt(),
          site.deployment(),
          site.provider(),
          site.upstreamModel(),
          failure.wireName(),
          httpStatus,
          message,
          site.latencyMs(),
          null,
          null,
          0,
          null,
          null,
          site.breakerState(),
          next.journaled(target),
          List.of(),
          rawResponse,
          null);
    }

    /**
     * An attempt that ended because the client closed its connection while it was being answered.
     * Nothing is tried after it; it is journaled because the provider still bills what it sent.
     */
    public static ProviderAttempt abandonedByClient(Site site, String message) {
      return new ProviderAttempt(
          site.attempt(),
          site.deployment(),
          site.provider(),
          site.upstreamModel(),
          CLIENT_DISCONNECTED,
          0,
          message,
          site.latencyMs(),
          null,
          null,
          0,
          null,
          null,
          site.breakerState(),
          Decision.ABANDONED.wireName(),
          List.of(),
          null,
          null);
    }

    /**
     * This failed attempt with what it had streamed to the client before it failed: the time to its
     * first token, the tokens (estimated when the provider sent no usage) and their cost.
     */
    public ProviderAttempt withDelivered(
        Double firstTokenMs, Usage delivered, double deliveredCost) {
      return new ProviderAttempt(
          attempt,
          deployment,
          provider,
          upstreamModel,
          outcome,
          httpStatus,
          error,
          latencyMs,
          firstTokenMs,
          delivered,
          deliveredCost,
          responseModel,
          systemFingerprint,
          breakerState,
          decision,
          repairs,
          rawResponse,
          response,
          checkFailures,
          identityMismatch,
          continuation);
    }

    /**
     * This attempt with what the chain's output checks and version pin found about its answer. A
     * failed attempt whose answer arrived takes the answer's model and fingerprint from the
     * mismatch, so that every attempt that saw a changed model names it.
     */
    public ProviderAttempt withFindings(
        List<OutputCheckFailure> failures, IdentityMismatch mismatch) {
      if (failures.isEmpty() && mismatch == null) {
        return this;
      }
      boolean fillIdentity = mismatch != null && responseModel == null;
      return new ProviderAttempt(
          attempt,
          deployment,
          provider,
          upstreamModel,
          outcome,
          httpStatus,
          error,
          latencyMs,
          ttftMs,
          usage,
          cost,
          fillIdentity ? mismatch.model() : responseModel,
          fillIdentity ? mismatch.systemFingerprint() : systemFingerprint,
          breakerState,
          decision,
          repairs,
          rawResponse,
          response,
          failures,
          mismatch,
          continuation);
    }

    /** This attempt as the continuation of a stream that earlier attempts began. */
    public ProviderAttempt withContinuation(Continuation continued) {
      return new ProviderAttempt(
          attempt,
          deployment,
          provider,
          upstreamModel,
          outcome,
          httpStatus,
          error,
          latencyMs,
          ttftMs,
          usage,
          cost,
          responseModel,
          systemFingerprint,
          breakerState,
          decision,
          repairs,
          rawResponse,
          response,
          checkFailures,
          identityMismatch,
          continued);
    }

    /**
     * What an attempt that continued a stream was given: the answer's first {@code deliveredChars}
     * characters had reached the client through earlier attempts of the run, the deployment was
     * asked in {@code form} ({@code prefill} or {@code instruction}) to continue from there, and
     * {@code overlapChars} characters its answer repeated of them were not sent again.
     */
    public record Continuation(int deliveredChars, String form, int overlapChars) {}

    /** Whether the attempt answered. */
    @JsonIgnore
    public boolean ok() {
      return OK.equals(outcome);
    }

    /** The failure's class; empty for an answer (or an outcome no version of Ballast wrote). */
    @JsonIgnore
    public Optional<ErrorClass> failure() {
      if (outcome == null || ok()) {
        return Optional.empty();
      }
      for (ErrorClass e : ErrorClass.values()) {
        if (e.wireName().equals(outcome)) {
          return Optional.of(e);
        }
      }
      return Optional.empty();
    }

    /** Whether the chain decided {@code d} after this attempt. */
    public boolean decided(Decision d) {
      return Decision.of(decision).filter(d::equals).isPresent();
    }

    /** The same event without content, for consumers that must not hold any. */
    public ProviderAttempt withoutPayloads() {
      return new ProviderAttempt(
          attempt,
          deployment,
          provider,
          upstreamModel,
          outcome,
          httpStatus,
          error,
          latencyMs,
          ttftMs,
          usage,
          cost,
          responseModel,
          systemFingerprint,
          breakerState,
          decision,
          repairs,
          null,
          null,
          checkFailures,
          identityMismatch,
          continuation);
    }

    @Override
    public List<Payload> payloads() {
      return nonNull(rawResponse, response);
    }
  }

  /**
   * The run answered.
   *
   * @param deployment the deployment whose answer was returned
   * @param cost the cost of the answering attempt only; failed attempts are accounted separately
   */
  record RunCompleted(
      String deployment,
      String responseModel,
      String finishReason,
      Usage usage,
      double cost,
      double durationMs,
      Payload response)
      implements JournalEvent {
    @Override
    public List<Payload> payloads() {
      return nonNull(response);
    }
  }

  /**
   * The run ended without an answer.
   *
   * @param truncated true when part of a streamed answer had already reached the client
   */
  record RunFailed(
      String errorClass, int httpStatus, String message, boolean truncated, double durationMs)
      implements JournalEvent {}

  /**
   * A deployment's circuit breaker changed state during this run (the run's attempt tripped it,
   * probed it or closed it), so the run that saw the change explains it.
   */
  record BreakerTransition(String deployment, String from, String to) implements JournalEvent {}

  /**
   * A worker began an attempt of a pipeline stage under its lease.
   *
   * @param fence the lease's fencing token
   * @param queueWaitMs how long the run waited to be claimed, for the first stage a worker runs
   *     after a claim; 0 for later stages of the same lease
   */
  record StageStarted(
      String stage, int index, int attempt, String worker, long fence, double queueWaitMs)
      implements JournalEvent {}

  /**
   * A stage's output was checkpointed: the run will never execute this stage again.
   *
   * @param output the stage's output (JSON), or null when capture is off
   */
  record StageCompleted(String stage, int index, int attempt, double durationMs, Payload output)
      implements JournalEvent {
    @Override
    public List<Payload> payloads() {
      return nonNull(output);
    }
  }

  /**
   * An attempt of a stage did not complete.
   *
   * @param errorClass e.g. {@code timeout}, {@code server_error}, {@code http_503}, {@code
   *     dependency_unavailable}, {@code lease_lost}
   * @param next where the run went: {@code waiting} (retry at {@code retryAt}), {@code parked}
   *     (waiting on {@code dependency}, no attempt counted), {@code dead}, {@code failed}, or
   *     {@code lost} (the worker lost its lease; another worker owns the run)
   */
  record StageFailed(
      String stage,
      int index,
      int attempt,
      String errorClass,
      String message,
      String next,
      Instant retryAt,
      String dependency,
      double durationMs)
      implements JournalEvent {}

  /**
   * A stage recorded an external effect in the effects ledger before applying it.
   *
   * @param firstRecord false when an earlier attempt had recorded the same key: the effect is sent
   *     again with the same key, and its receiver deduplicates
   */
  record EffectRecorded(String stage, String effectKey, String target, boolean firstRecord)
      implements JournalEvent {}

  /** A pipeline run exhausted its attempts at {@code stage}; an operator may resume it there. */
  record RunDead(String stage, String errorClass, String message, double durationMs)
      implements JournalEvent {}

  /**
   * An operator resumed a dead pipeline run: it is queued again at {@code stage}, its failed stage,
   * with a fresh attempt count. Journaled at the end of the dead lease's sequence block, so it
   * opens the run's next segment.
   */
  record RunResumed(String stage, int stageIndex) implements JournalEvent {}

  /**
   * A stage retrieved chunks from a collection as of a pinned generation.
   *
   * @param mode {@code vector}, {@code keyword} or {@code hybrid}
   * @param query the query text, or null when capture is off
   * @param indexGeneration the generation the answering node's index had reached (at least {@code
   *     generation}; a node behind the pin catches up before answering)
   * @param results best first
   */
  record Retrieval(
      String stage,
      String collection,
      String mode,
      Payload query,
      long generation,
      long indexGeneration,
      int k,
      List<RetrievedChunk> results,
      double durationMs)
      implements JournalEvent {
    public Retrieval {
      results = results == null ? List.of() : List.copyOf(results);
    }

    @Override
    public List<Payload> payloads() {
      return nonNull(query);
    }
  }

  /** One retrieved chunk: enough to prove which content a run saw, without the content. */
  record RetrievedChunk(String chunkId, String documentId, String contentHash, double score) {}

  /**
   * A stage read a conversation's memory as of a pinned version.
   *
   * @param contentHash SHA-256 hex of the memory view's canonical JSON, so two reads of one version
   *     can be compared across runs and nodes
   */
  record MemoryRead(String stage, String conversation, long version, String contentHash)
      implements JournalEvent {}

  /**
   * A stage wrote memory (compare-and-set on {@code versionBefore}).
   *
   * @param applied false when the effect key had been written before and nothing was applied again
   * @param operations the mutation kinds written, e.g. {@code append_turn}
   */
  record MemoryMutated(
      String stage,
      String conversation,
      long versionBefore,
      long versionAfter,
      String effectKey,
      List<String> operations,
      String contentHash,
      boolean applied)
      implements JournalEvent {
    public MemoryMutated {
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  /**
   * A stage packed a prompt into a token budget. Nothing is cut silently: every item left out or
   * shortened is listed in {@code cut}.
   *
   * @param tokenizer e.g. {@code o200k_base}; with {@code approximate} true when the model's own
   *     tokenizer is not available and counts are an estimate
   * @param budget tokens available for the prompt (context window minus the reserved output)
   * @param used tokens the packed prompt takes
   * @param included the items in the prompt, in order
   * @param cut the items dropped or truncated, with why
   * @param routedTo the larger-context group the run was routed to when the minimum did not fit, or
   *     null
   */
  record ContextAssembled(
      String stage,
      String model,
      String tokenizer,
      boolean approximate,
      int budget,
      int used,
      List<ContextItem> included,
      List<ContextItem> cut,
      String routedTo)
      implements JournalEvent {
    public ContextAssembled {
      included = included == null ? List.of() : List.copyOf(included);
      cut = cut == null ? List.of() : List.copyOf(cut);
    }
  }

  /**
   * An item of an assembled context.
   *
   * @param kind {@code system}, {@code memory}, {@code chunk}, {@code question}
   * @param ref the chunk id, memory version or other reference, or null
   * @param tokens the tokens it takes in the prompt (0 for an item dropped whole)
   * @param originalTokens the tokens it had before it was cut
   * @param reason for a cut item: {@code dropped_budget} or {@code truncated_budget}; null
   *     otherwise
   */
  record ContextItem(String kind, String ref, int tokens, int originalTokens, String reason) {}

  /**
   * This run is a replay of another: its first event, before its own {@code RunStarted}, so that a
   * diff can align the two journals.
   *
   * @param mode {@code deterministic} or {@code what_if}
   * @param overrides what the what-if changed, e.g. {@code group=big}, {@code from_stage=draft};
   *     empty for a deterministic replay
   */
  /**
   * A canary's answer judged by its checks, recorded in the canary's run (kind {@code canary})
   * before its terminal event. A canary whose call failed has no answer and no such event: its
   * {@code RunFailed} is the verdict.
   *
   * @param canary the canary's configured name
   * @param period the start of the period the run belongs to (one run per period per cluster)
   * @param failures the checks the answer failed ({@code contains[0]}, {@code not_contains[1]},
   *     {@code regex[0]}, {@code max_tokens}, {@code json_schema}, {@code similar_to}); empty when
   *     it passed
   * @param similarity the cosine similarity to the reference answer, null when none is configured
   *     (or the embedding model could not be used)
   */
  record CanaryChecked(
      String canary,
      Instant period,
      boolean passed,
      List<OutputCheckFailure> failures,
      Double similarity)
      implements JournalEvent {
    public CanaryChecked {
      failures = failures == null ? List.of() : List.copyOf(failures);
    }
  }

  record ReplayOf(String originalRunId, String mode, java.util.Map<String, String> overrides)
      implements JournalEvent {
    public ReplayOf {
      overrides = overrides == null ? java.util.Map.of() : java.util.Map.copyOf(overrides);
    }
  }

  /**
   * Watch opened, updated or resolved an alert. Journaled under the alert's id as its run id
   * ({@code alrt_...}, sequence numbers counted by the alert's row in the store), so an alert's
   * history reads like any run's journal; the store lists it as a run of kind {@code watch}, tenant
   * {@code ballast}, ended at its latest transition (the alert's own row says whether it is open).
   *
   * @param transition {@code opened}, {@code updated} or {@code resolved}
   * @param kind {@code model_changed}, {@code fingerprint_changed}, {@code shift_up}, {@code
   *     shift_down} or {@code rate_up}
   * @param baseline the baseline in {@code unit}, null for an identity alert
   * @param current the value since the onset, null for an identity alert
   * @param changed the fields where the last good and the first bad run differ, as {@code
   *     scope.field: good -> bad}
   */
  record AlertChanged(
      String transition,
      String series,
      String signal,
      String kind,
      String severity,
      String title,
      Double baseline,
      Double current,
      String unit,
      Instant onsetAt,
      String lastGoodRun,
      String firstBadRun,
      List<String> changed)
      implements JournalEvent {
    public static final String OPENED = "opened";
    public static final String UPDATED = "updated";
    public static final String RESOLVED = "resolved";

    public AlertChanged {
      changed = changed == null ? List.of() : List.copyOf(changed);
    }
  }

  // Called for every event on the writer thread; plain code, because a stream pipeline per event
  // showed up in profiles.
  private static List<Payload> nonNull(Payload payload) {
    return payload == null ? List.of() : List.of(payload);
  }

  private static List<Payload> nonNull(Payload first, Payload second) {
    if (first == null) {
      return nonNull(second);
    }
    return second == null ? List.of(first) : List.of(first, second);
  }
}
