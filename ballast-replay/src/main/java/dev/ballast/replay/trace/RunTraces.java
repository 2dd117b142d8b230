package dev.ballast.replay.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.ContextAssembled;
import dev.ballast.core.journal.JournalEvent.EffectRecorded;
import dev.ballast.core.journal.JournalEvent.MemoryMutated;
import dev.ballast.core.journal.JournalEvent.MemoryRead;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.Retrieval;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunDead;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.JournalEvent.StageStarted;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.replay.trace.TraceNode.Builder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds a run's execution tree from the journal alone: a gateway call with its provider attempts
 * (deployment, outcome, why it was retried or failed over, breaker state, tokens, cost), or a
 * pipeline run with its pins, its stages in order, each stage's attempts (worker node, fence, queue
 * wait, outcome, why it was retried or parked) and under each attempt what it recorded: the model
 * call it made (a nested call run, {@code RUN/STAGE/ATTEMPT}) with its attempts, retrievals, memory
 * reads and mutations, context assembly with every cut, and effects.
 *
 * <p>Totals of a pipeline run (tokens, cost) add up every provider attempt of its calls, failed
 * ones included: what the run spent, not only what answered.
 */
public final class RunTraces {
  /** What a dead run's root says of its death, until it is resumed. */
  private static final List<String> DEATH = List.of("dead_stage", "error_class", "error");

  private static final List<String> RUN_NAMING_FIELDS = List.of("call_run_id", "conversation");

  private final JournalStore store;

  public RunTraces(JournalStore store) {
    this.store = store;
  }

  /** The run's tree, or empty when the journal holds no events for {@code runId}. */
  public Optional<TraceNode> trace(String runId) {
    List<JournalEntry> entries = store.events(runId);
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    RunStarted started = started(entries);
    if (started != null && "pipeline".equals(started.kind())) {
      return Optional.of(pipeline(runId, started, entries).build());
    }
    return Optional.of(call(runId, started, entries).build());
  }

  private Builder pipeline(String runId, RunStarted started, List<JournalEntry> entries) {
    Builder run = new Builder("pipeline", "invoke_workflow " + started.operation(), at(entries));
    run.put("run_id", runId).put("tenant", started.tenant());
    run.put("input_hash", started.request() == null ? null : started.request().hash());
    pins(run, started.pins());
    TreeMap<Integer, Builder> stages = new TreeMap<>();
    Map<String, Builder> openAttempt = new LinkedHashMap<>();
    Map<String, Long> openFence = new HashMap<>();
    Totals totals = new Totals();
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case StageStarted s -> {
          Builder stage =
              stages.computeIfAbsent(
                  s.index(),
                  i -> new Builder("stage", s.stage(), entry.at()).put("index", s.index()));
          Builder attempt =
              stage.child(new Builder("attempt", "attempt " + s.attempt(), entry.at()));
          attempt
              .put("attempt", s.attempt())
              .put("worker", s.worker())
              .put("fence", s.fence())
              .put("queue_wait_ms", s.queueWaitMs());
          openAttempt.put(s.stage(), attempt);
          openFence.put(s.stage(), s.fence());
        }
        case StageCompleted c -> {
          Builder attempt = attempt(openAttempt, stages, c.stage(), c.index(), c.attempt(), entry);
          attempt.status = "completed";
          attempt.durationMs = c.durationMs();
          JsonNode output = json(c.output());
          if (output != null) {
            attempt.put("prompt_version", text(output, "prompt_version"));
            attempt.put("model", text(output, "model"));
          }
          attempt.put("output_hash", c.output() == null ? null : c.output().hash());
          attempt.put("output_digest", digest(output));
          nestedCall(
              runId, c.stage(), c.attempt(), openFence.get(c.stage()), output, attempt, totals);
          finishStage(stages.get(c.index()), "completed");
        }
        case StageFailed f -> {
          Builder attempt = attempt(openAttempt, stages, f.stage(), f.index(), f.attempt(), entry);
          attempt.status = f.errorClass();
          attempt.durationMs = f.durationMs();
          attempt
              .put("error", f.message())
              .put("next", f.next())
              .put("retry_at", f.retryAt() == null ? null : f.retryAt().toString())
              .put("dependency", f.dependency());
          nestedCall(
              runId, f.stage(), f.attempt(), openFence.get(f.stage()), null, attempt, totals);
          finishStage(stages.get(f.index()), f.errorClass());
        }
        case Retrieval r -> host(openAttempt, run, r.stage()).child(retrieval(r, entry));
        case MemoryRead m ->
            host(openAttempt, run, m.stage())
                .child(new Builder("memory_read", "memory read " + m.conversation(), entry.at()))
                .put("conversation", m.conversation())
                .put("version", m.version())
                .put("content_hash", m.contentHash());
        case MemoryMutated m -> host(openAttempt, run, m.stage()).child(mutation(m, entry));
        case ContextAssembled c -> host(openAttempt, run, c.stage()).child(context(c, entry));
        case EffectRecorded e ->
            host(openAttempt, run, e.stage())
                .child(new Builder("effect", "effect " + e.effectKey(), entry.at()))
                .put("effect_key", e.effectKey())
                .put("target", e.target())
                .put("first_record", e.firstRecord());
        case RunCompleted c -> {
          run.status = "succeeded";
          run.durationMs = c.durationMs();
          run.put("output_hash", c.response() == null ? null : c.response().hash());
          run.put("output_digest", digest(json(c.response())));
        }
        case RunFailed f -> {
          run.status = f.errorClass();
          run.durationMs = f.durationMs();
          run.put("error", f.message());
        }
        case JournalEvent.RunResumed r -> {
          // The run is alive again: its death is history, kept on the resume node, not its state.
          Builder resume =
              run.child(new Builder("resume", "resumed at " + r.stage(), entry.at()))
                  .put("stage", r.stage())
                  .put("stage_index", r.stageIndex());
          for (String key : DEATH) {
            resume.put(key, run.attributes.remove(key));
          }
          run.status = null;
          run.durationMs = null;
        }
        case RunDead d -> {
          run.status = "dead";
          run.durationMs = d.durationMs();
          run.put("dead_stage", d.stage()).put("error_class", d.errorClass());
          run.put("error", d.message());
        }
        default -> {
          // RunStarted is the root itself; replay markers are shown as an attribute below.
        }
      }
    }
    entries.stream()
        .map(JournalEntry::event)
        .filter(JournalEvent.ReplayOf.class::isInstance)
        .map(JournalEvent.ReplayOf.class::cast)
        .findFirst()
        .ifPresent(r -> run.put("replay_of", r.originalRunId()).put("replay_mode", r.mode()));
    if (run.status == null) {
      run.status = "running";
    } else {
      // From submission to the end, across leases, nodes and resumes: a terminal event's own
      // duration covers only the lease that wrote it.
      run.durationMs = (double) Duration.between(run.at, entries.getLast().at()).toMillis();
    }
    run.put("input_tokens", totals.inputTokens)
        .put("output_tokens", totals.outputTokens)
        .put("cost_usd", totals.cost)
        .put("provider_attempts", totals.attempts);
    stages.values().forEach(run::child);
    return run;
  }

  /**
   * The gateway call a stage attempt made, if any: the id a completed stage's output names ({@code
   * call_run_id}; an output without one made no call, and the store is not asked), else, for a
   * failed attempt or an output the journal did not keep, {@code RUN/STAGE/ATTEMPT@FENCE} (see
   * {@code StageContext.callId}), or the {@code RUN/STAGE/ATTEMPT} of journals written before call
   * ids named their lease.
   */
  private void nestedCall(
      String runId,
      String stage,
      int attempt,
      Long fence,
      JsonNode output,
      Builder into,
      Totals totals) {
    String callId;
    List<JournalEntry> entries;
    if (output != null) {
      callId = text(output, "call_run_id");
      if (callId == null) {
        return;
      }
      entries = store.events(callId);
    } else {
      String legacy = runId + "/" + stage + "/" + attempt;
      callId =
          fence == null
              ? legacy
              : dev.ballast.core.pipeline.StageContext.callId(runId, stage, attempt, fence);
      entries = store.events(callId);
      if (entries.isEmpty() && fence != null) {
        callId = legacy;
        entries = store.events(callId);
      }
    }
    // In a journal from before call ids named their lease, an attempt number that repeated (after
    // a park or a resume) repeated its call id too: that call is shown (and counted) once.
    if (entries.isEmpty() || !totals.calls.add(callId)) {
      return;
    }
    Builder call = call(callId, started(entries), entries);
    for (JournalEntry e : entries) {
      if (e.event() instanceof ProviderAttempt a) {
        totals.add(a);
      }
    }
    // The call's own children were built before it was attached; it goes first under the attempt
    // so that what the stage did with its answer follows.
    into.children.addFirst(call);
  }

  private Builder call(String runId, RunStarted started, List<JournalEntry> entries) {
    String operation = started == null ? "call" : started.operation();
    String model = started == null ? null : started.model();
    Builder call =
        new Builder("call", model == null ? operation : operation + " " + model, at(entries));
    call.put("run_id", runId);
    if (started != null) {
      call.put("tenant", started.tenant()).put("api", started.api());
      call.put("input_hash", started.request() == null ? null : started.request().hash());
      if (started.stream()) {
        call.put("stream", true);
      }
      if (started.pins() != null) {
        call.put("group", started.pins().group()).put("route", started.pins().route());
      }
    }
    Totals totals = new Totals();
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case ProviderAttempt a -> {
          totals.add(a);
          call.child(providerAttempt(a, entry));
        }
        case BreakerTransition b ->
            call.child(
                    new Builder(
                        "breaker",
                        "breaker " + b.deployment() + " " + b.from() + " -> " + b.to(),
                        entry.at()))
                .put("deployment", b.deployment())
                .put("from", b.from())
                .put("to", b.to());
        case RunCompleted c -> {
          call.status = "succeeded";
          call.durationMs = c.durationMs();
          call.put("deployment", c.deployment())
              .put("response_model", c.responseModel())
              .put("finish_reason", c.finishReason())
              .put("output_hash", c.response() == null ? null : c.response().hash());
          JsonNode response = json(c.response());
          if (response instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            // A response's id and creation time name the call, not what it answered.
            o.remove(List.of("id", "created"));
          }
          call.put("output_digest", digest(response));
        }
        case RunFailed f -> {
          call.status = f.errorClass();
          call.durationMs = f.durationMs();
          call.put("http_status", f.httpStatus()).put("error", f.message());
          if (f.truncated()) {
            call.put("truncated", true);
          }
        }
        default -> {
          // Nothing else is written into a gateway call's journal.
        }
      }
    }
    if (call.status == null) {
      call.status = "running";
    }
    call.put("input_tokens", totals.inputTokens)
        .put("output_tokens", totals.outputTokens)
        .put("cost_usd", totals.cost);
    return call;
  }

  private static Builder providerAttempt(ProviderAttempt a, JournalEntry entry) {
    Builder b =
        new Builder(
            "provider_attempt", "attempt " + a.attempt() + " " + a.deployment(), entry.at());
    b.status = a.outcome();
    b.durationMs = a.latencyMs();
    b.put("attempt", a.attempt())
        .put("deployment", a.deployment())
        .put("provider", a.provider())
        .put("upstream_model", a.upstreamModel())
        .put("http_status", a.httpStatus() == 0 ? null : a.httpStatus())
        .put("error", a.error())
        .put("decision", a.decision())
        .put("breaker_state", a.breakerState())
        .put("ttft_ms", a.ttftMs())
        .put("response_model", a.responseModel())
        .put("system_fingerprint", a.systemFingerprint());
    if (a.usage() != null) {
      b.put("input_tokens", a.usage().inputTokens()).put("output_tokens", a.usage().outputTokens());
    }
    b.put("cost_usd", a.cost());
    if (a.repairs() != null && !a.repairs().isEmpty()) {
      b.put("repairs", a.repairs());
    }
    if (!a.checkFailures().isEmpty()) {
      b.put(
          "check_failures",
          a.checkFailures().stream()
              .map(f -> f.rule() + ": " + f.reason() + (f.enforced() ? "" : " (recorded only)"))
              .toList());
    }
    if (a.identityMismatch() != null) {
      b.put(
          "identity_mismatch",
          a.identityMismatch().describe()
              + " (on_mismatch: "
              + a.identityMismatch().onMismatch()
              + ")");
    }
    return b;
  }

  private static Builder retrieval(Retrieval r, JournalEntry entry) {
    Builder b = new Builder("retrieval", "retrieval " + r.collection(), entry.at());
    b.durationMs = r.durationMs();
    List<Map<String, Object>> chunks = new ArrayList<>();
    for (JournalEvent.RetrievedChunk c : r.results()) {
      Map<String, Object> chunk = new LinkedHashMap<>();
      chunk.put("document", c.documentId());
      chunk.put("chunk_id", c.chunkId());
      chunk.put("content_hash", c.contentHash());
      chunk.put("score", c.score());
      chunks.add(chunk);
    }
    return b.put("collection", r.collection())
        .put("mode", r.mode())
        .put("generation", r.generation())
        .put("index_generation", r.indexGeneration())
        .put("k", r.k())
        .put("chunks", chunks);
  }

  private static Builder mutation(MemoryMutated m, JournalEntry entry) {
    Builder b =
        new Builder(
            "memory_mutation",
            "memory " + String.join("+", m.operations()) + " " + m.conversation(),
            entry.at());
    b.status = m.applied() ? "applied" : "already_applied";
    return b.put("conversation", m.conversation())
        .put("version_before", m.versionBefore())
        .put("version_after", m.versionAfter())
        .put("effect_key", m.effectKey())
        .put("content_hash", m.contentHash());
  }

  private static Builder context(ContextAssembled c, JournalEntry entry) {
    Builder b = new Builder("context", "context " + c.model(), entry.at());
    b.put("tokenizer", c.tokenizer())
        .put("approximate", c.approximate())
        .put("budget", c.budget())
        .put("used", c.used())
        .put("included", c.included().size());
    List<Map<String, Object>> cuts = new ArrayList<>();
    for (JournalEvent.ContextItem item : c.cut()) {
      Map<String, Object> cut = new LinkedHashMap<>();
      cut.put("kind", item.kind());
      cut.put("ref", item.ref());
      cut.put("tokens", item.tokens());
      cut.put("original_tokens", item.originalTokens());
      cut.put("reason", item.reason());
      cuts.add(cut);
    }
    b.put("cut", cuts);
    return b.put("routed_to", c.routedTo());
  }

  private static void pins(Builder run, Pins pins) {
    if (pins == null) {
      return;
    }
    run.put("pipeline_version", pins.pipelineVersion()).put("config_version", pins.configVersion());
    if (pins.state() != null) {
      run.put("conversation", pins.state().conversation());
      if (pins.state().conversation() != null) {
        run.put("memory_version", pins.state().memoryVersion());
      }
      if (!pins.state().generations().isEmpty()) {
        run.put("generations", pins.state().generations());
      }
    }
  }

  /** The open attempt of a stage, or one made from the end event when its start was not kept. */
  private static Builder attempt(
      Map<String, Builder> open,
      TreeMap<Integer, Builder> stages,
      String stage,
      int index,
      int attempt,
      JournalEntry entry) {
    Builder current = open.remove(stage);
    if (current != null) {
      return current;
    }
    Builder s = stages.computeIfAbsent(index, i -> new Builder("stage", stage, entry.at()));
    return s.child(new Builder("attempt", "attempt " + attempt, entry.at()));
  }

  /** What an event of {@code stage} hangs under: its open attempt, else the run. */
  private static Builder host(Map<String, Builder> open, Builder run, String stage) {
    Builder attempt = open.get(stage);
    return attempt == null ? run : attempt;
  }

  /** A stage's status and duration follow its last attempt. */
  private static void finishStage(Builder stage, String status) {
    if (stage == null) {
      return;
    }
    stage.status = status;
    double total = 0;
    for (Builder attempt : stage.children) {
      total += attempt.durationMs == null ? 0 : attempt.durationMs;
    }
    stage.durationMs = total;
    stage.put("attempts", stage.children.size());
  }

  private JsonNode json(Payload payload) {
    if (payload == null) {
      return null;
    }
    byte[] bytes =
        payload.bytes() != null ? payload.bytes() : store.blob(payload.hash()).orElse(null);
    if (bytes == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * The hash of an output without the fields that name the run itself ({@code call_run_id}) or its
   * input's conversation, so two runs that produced the same output compare equal; null for none.
   */
  public static String digest(JsonNode output) {
    if (output == null) {
      return null;
    }
    JsonNode copy = output.deepCopy();
    strip(copy);
    try {
      return Payload.sha256(Json.mapper().writeValueAsBytes(copy));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.remove(RUN_NAMING_FIELDS);
      o.forEach(RunTraces::strip);
    } else if (node.isArray()) {
      node.forEach(RunTraces::strip);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  private static RunStarted started(List<JournalEntry> entries) {
    for (JournalEntry e : entries) {
      if (e.event() instanceof RunStarted s) {
        return s;
      }
    }
    return null;
  }

  private static java.time.Instant at(List<JournalEntry> entries) {
    return entries.getFirst().at();
  }

  /** Tokens and spend over every provider attempt, failed ones included. */
  private static final class Totals {
    final java.util.Set<String> calls = new java.util.HashSet<>();
    int inputTokens;
    int outputTokens;
    double cost;
    int attempts;

    void add(ProviderAttempt a) {
      attempts++;
      cost += a.cost();
      if (a.usage() != null) {
        inputTokens += a.usage().inputTokens();
        outputTokens += a.usage().outputTokens();
      }
    }
  }
}
