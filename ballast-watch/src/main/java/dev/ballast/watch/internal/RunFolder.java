package dev.ballast.watch.internal;

import dev.ballast.core.journal.Decision;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent.BreakerTransition;
import dev.ballast.core.journal.JournalEvent.CanaryChecked;
import dev.ballast.core.journal.JournalEvent.ContextAssembled;
import dev.ballast.core.journal.JournalEvent.MemoryMutated;
import dev.ballast.core.journal.JournalEvent.ProviderAttempt;
import dev.ballast.core.journal.JournalEvent.ReplayOf;
import dev.ballast.core.journal.JournalEvent.Retrieval;
import dev.ballast.core.journal.JournalEvent.RunCompleted;
import dev.ballast.core.journal.JournalEvent.RunDead;
import dev.ballast.core.journal.JournalEvent.RunFailed;
import dev.ballast.core.journal.JournalEvent.RunStarted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.model.Usage;
import dev.ballast.core.normalize.FormatViolation;
import dev.ballast.watch.ExpectedIdentities;
import dev.ballast.watch.ExpectedIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns journal entries into observations, as runs complete. Each provider attempt is an
 * observation of its deployment ({@code deployment:NAME}): outcome, and for an answer its latency,
 * time to first token, tokens per second of a stream, tokens, cost, repairs, estimated usage and
 * identity. Each model call's end is an observation of its model group, its tenant and, for a
 * pipeline stage's call ({@code RUN/STAGE/ATTEMPT}), of the stage ({@code stage:PIPELINE/STAGE}):
 * outcome, total latency, tokens, cost, whether it was retried or failed over, and the answer's
 * shape (empty, refusal, cut at the length limit), which also counts for the answering deployment.
 * A deployment also observes its breaker's openings and, per answer it gave, whether it failed
 * validation for its tool calls or its structured output. Pipeline runs add their stages' context
 * cuts and memory write conflicts ({@code stage:PIPELINE/STAGE}) and their retrievals ({@code
 * collection:NAME/MODE}); a pipeline run's end is its pipeline's ({@code pipeline:NAME}: outcome,
 * duration, the cost of its stages' calls); canary verdicts are the canary's ({@code canary:NAME}).
 *
 * <p>Not observed: replays (their calls are not live traffic), Watch's own runs and those of the
 * reserved tenant {@code ballast}, attempts the client walked away from. Called on the journal's
 * listener thread only.
 */
final class RunFolder {
  static final String RESERVED_TENANT = "ballast";

  /** The error class of a memory stage whose compare-and-set lost to a concurrent write. */
  static final String MEMORY_CONFLICT = "memory_conflict";

  private static final String FORMAT_VIOLATION = "format_violation";
  private static final int MAX_RUNS = 100_000;
  private static final int MAX_PIPELINES = 10_000;

  private final SeriesTable table;
  private final List<Pattern> refusals;
  private final ExpectedIdentities expected;
  private long evicted;
  private long unattributed;
  private final Map<String, RunInfo> runs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunInfo> eldest) {
          if (size() > MAX_RUNS) {
            evicted++;
            return true;
          }
          return false;
        }
      };
  private final Map<String, PipelineRun> pipelines =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PipelineRun> eldest) {
          return size() > MAX_PIPELINES;
        }
      };

  RunFolder(SeriesTable table, List<Pattern> refusals, ExpectedIdentities expected) {
    this.table = table;
    this.refusals = List.copyOf(refusals);
    this.expected = expected;
  }

  /** Runs forgotten before they ended, because too many were in flight. */
  long evicted() {
    return evicted;
  }

  /** Ends of calls whose start this node never saw (it went through another node's spool). */
  long unattributed() {
    return unattributed;
  }

  void accept(JournalEntry entry) {
    String runId = entry.runId();
    switch (entry.event()) {
      case RunStarted s -> started(runId, s);
      case ReplayOf ignored -> info(runId).skip = true;
      case ProviderAttempt a -> attempt(runId, entry.at(), a);
      case RunCompleted c -> completed(runId, entry.at(), c);
      case RunFailed f -> failed(runId, entry.at(), f);
      case RunDead d -> pipelineEnded(runId, entry.at(), orUnknown(d.errorClass()), d.durationMs());
      case BreakerTransition b -> breaker(runId, entry.at(), b);
      case Retrieval r -> retrieval(runId, entry.at(), r);
      case ContextAssembled c -> context(runId, entry.at(), c);
      case MemoryMutated m -> memory(runId, m.stage(), false, entry.at());
      case StageFailed f when MEMORY_CONFLICT.equals(f.errorClass()) ->
          memory(runId, f.stage(), true, entry.at());
      case CanaryChecked v -> canary(runId, entry.at(), v);
      default -> {}
    }
  }

  private void started(String runId, RunStarted s) {
    RunInfo info = info(runId);
    info.kind = s.kind();
    info.operation = s.operation();
    info.tenant = s.tenant();
    info.group = s.pins() == null ? null : s.pins().group();
    if ("pipeline".equals(s.kind())) {
      if (info.skip) {
        return; // a replay: it keeps its mark, and nothing of it is observed
      }
      pipelines.put(runId, new PipelineRun(s.operation()));
      runs.remove(runId);
      return;
    }
    if (RESERVED_TENANT.equals(s.tenant()) || !"gateway".equals(s.kind())) {
      info.skip = true;
    }
  }

  private RunInfo info(String runId) {
    return runs.computeIfAbsent(runId, id -> new RunInfo());
  }

  private void attempt(String runId, Instant at, ProviderAttempt a) {
    RunInfo info = info(runId);
    if (info.skip) {
      return;
    }
    info.retried |= a.decided(Decision.RETRY);
    info.failedOver |= a.decided(Decision.FAILOVER);
    if (ProviderAttempt.CLIENT_DISCONNECTED.equals(a.outcome()) || a.deployment() == null) {
      return;
    }
    Series s = table.get("deployment:" + a.deployment() + suffix(info));
    if (s == null) {
      return;
    }
    s.outcome(a.ok() ? null : a.outcome(), runId, at);
    s.rate("breaker_open_rate", false, runId, at);
    if (a.ok() || FORMAT_VIOLATION.equals(a.outcome())) {
      // Of the answers the deployment gave, those that failed validation, by what they broke.
      FormatViolation.Kind kind = a.ok() ? null : FormatViolation.kindOf(a.error());
      s.rate("tool_argument_failure_rate", kind == FormatViolation.Kind.TOOL_ARGUMENTS, runId, at);
      s.rate("schema_violation_rate", kind == FormatViolation.Kind.SCHEMA, runId, at);
    }
    if (!a.ok()) {
      return;
    }
    s.continuous("latency", a.latencyMs(), runId, at);
    Usage usage = a.usage();
    if (a.ttftMs() != null) {
      s.continuous("ttft", a.ttftMs(), runId, at);
      double generating = a.latencyMs() - a.ttftMs();
      if (usage != null && usage.outputTokens() > 0 && generating > 0) {
        s.continuous("tokens_per_second", usage.outputTokens() / (generating / 1000), runId, at);
      }
    }
    if (usage != null) {
      s.continuous("input_tokens", usage.inputTokens(), runId, at);
      s.continuous("output_tokens", usage.outputTokens(), runId, at);
      s.rate("estimated_usage_rate", usage.estimated(), runId, at);
    }
    if (a.cost() > 0) {
      s.continuous("cost", a.cost(), runId, at);
    }
    boolean repaired =
        a.repairs() != null && a.repairs().stream().anyMatch(r -> !"usage_estimated".equals(r));
    s.rate("repair_rate", repaired, runId, at);
    Optional<ExpectedIdentity> expect = expected.expected(a.deployment());
    Set<String> models =
        expect.map(e -> e.model() == null ? Set.<String>of() : Set.of(e.model())).orElse(Set.of());
    Set<String> fingerprints = expect.map(ExpectedIdentity::fingerprints).orElse(Set.of());
    s.identity(SignalSpec.MODEL, orNone(a.responseModel()), models, runId, at);
    s.identity(SignalSpec.FINGERPRINT, orNone(a.systemFingerprint()), fingerprints, runId, at);
  }

  private void completed(String runId, Instant at, RunCompleted c) {
    if (pipelineEnded(runId, at, null, c.durationMs())) {
      return;
    }
    RunInfo info = runs.remove(runId);
    if (info == null || info.kind == null) {
      unattributed++;
      return;
    }
    if (info.skip) {
      return;
    }
    PipelineRun pipeline = pipelineOf(runId);
    if (pipeline != null) {
      pipeline.cost += c.cost();
    }
    boolean chat = !"embeddings".equals(info.operation);
    AnswerShape shape = chat ? AnswerShape.of(c, refusals) : null;
    for (Series s : runSeries(runId, info)) {
      s.outcome(null, runId, at);
      s.continuous("latency", c.durationMs(), runId, at);
      if (c.usage() != null) {
        s.continuous("input_tokens", c.usage().inputTokens(), runId, at);
        if (chat) {
          s.continuous("output_tokens", c.usage().outputTokens(), runId, at);
        }
      }
      if (c.cost() > 0) {
        s.continuous("cost", c.cost(), runId, at);
      }
      s.rate("retry_rate", info.retried, runId, at);
      s.rate("failover_rate", info.failedOver, runId, at);
      shape(s, shape, runId, at);
    }
    if (shape != null && c.deployment() != null) {
      shape(table.get("deployment:" + c.deployment() + suffix(info)), shape, runId, at);
    }
  }

  /**
   * A breaker opening, counted against its deployment's attempts ({@code breaker_open_rate}): the
   * transition is in the run whose attempt tripped it.
   */
  private void breaker(String runId, Instant at, BreakerTransition b) {
    RunInfo info = runs.get(runId);
    if (info != null && info.skip || b.deployment() == null || !"open".equals(b.to())) {
      return;
    }
    Series s = table.get("deployment:" + b.deployment() + (info == null ? "" : suffix(info)));
    if (s != null) {
      s.rate("breaker_open_rate", true, runId, at);
    }
  }

  /**
   * A retrieval, per collection and mode (keyword and vector scores are not comparable): the best
   * score, the number of chunks found, and whether nothing was.
   */
  private void retrieval(String runId, Instant at, Retrieval r) {
    RunInfo info = runs.get(runId);
    if (info != null && info.skip || r.collection() == null) {
      return;
    }
    String mode = r.mode() == null ? "" : "/" + r.mode();
    Series s = table.get("collection:" + r.collection() + mode);
    if (s == null) {
      return;
    }
    s.continuous("hits", r.results().size(), runId, at);
    s.rate("empty_retrieval_rate", r.results().isEmpty(), runId, at);
    if (!r.results().isEmpty()) {
      s.continuous("top_score", r.results().getFirst().score(), runId, at);
    }
  }

  /** What a stage's context assembly had to cut to fit its token budget. */
  private void context(String runId, Instant at, ContextAssembled c) {
    Series s = stage(runId, c.stage());
    if (s != null) {
      s.continuous("context_cut_items", c.cut().size(), runId, at);
      s.rate("context_cut_rate", !c.cut().isEmpty(), runId, at);
    }
  }

  /** A memory write, or a conflict that made its stage try again. */
  private void memory(String runId, String stage, boolean conflict, Instant at) {
    Series s = stage(runId, stage);
    if (s != null) {
      s.rate("memory_conflict_rate", conflict, runId, at);
    }
  }

  /**
   * A pipeline stage's series, for an event of the pipeline run itself; null when this node did not
   * see the run start (it knows the pipeline's name from there) or the run is a replay.
   */
  private Series stage(String runId, String stage) {
    RunInfo info = runs.get(runId);
    PipelineRun run = info != null && info.skip ? null : pipelines.get(runId);
    String pipeline = run == null ? null : run.name;
    return pipeline == null || stage == null ? null : table.get("stage:" + pipeline + "/" + stage);
  }

  /**
   * A canary's verdict: whether it failed (a call that failed also has a failing verdict), and the
   * similarity of its answer to the reference when it has one.
   */
  private void canary(String runId, Instant at, CanaryChecked v) {
    Series s = v.canary() == null ? null : table.get("canary:" + v.canary());
    if (s == null) {
      return;
    }
    s.verdict("canary_failure_rate", "canary_failing", !v.passed(), runId, at);
    if (v.similarity() != null) {
      s.continuous("similarity", v.similarity(), runId, at);
    }
  }

  private static void shape(Series s, AnswerShape shape, String runId, Instant at) {
    if (s == null || shape == null) {
      return;
    }
    s.rate("empty_answer_rate", shape.empty(), runId, at);
    s.rate("refusal_rate", shape.refusal(), runId, at);
    s.rate("length_stop_rate", shape.length(), runId, at);
  }

  private void failed(String runId, Instant at, RunFailed f) {
    if (pipelineEnded(runId, at, orUnknown(f.errorClass()), f.durationMs())) {
      return;
    }
    RunInfo info = runs.remove(runId);
    if (info == null || info.kind == null) {
      unattributed++;
      return;
    }
    if (info.skip || ProviderAttempt.CLIENT_DISCONNECTED.equals(f.errorClass())) {
      return;
    }
    for (Series s : runSeries(runId, info)) {
      s.outcome(f.errorClass() == null ? "unknown" : f.errorClass(), runId, at);
      s.rate("retry_rate", info.retried, runId, at);
      s.rate("failover_rate", info.failedOver, runId, at);
    }
  }

  /**
   * A pipeline run's end, as its pipeline's series ({@code pipeline:NAME}): outcome, duration and
   * the cost of its stages' model calls that this node saw. False when {@code runId} is no pipeline
   * run this node saw start.
   */
  private boolean pipelineEnded(String runId, Instant at, String errorClass, double durationMs) {
    PipelineRun run = pipelines.get(runId);
    if (run == null) {
      return false;
    }
    RunInfo info = runs.get(runId);
    Series s = info != null && info.skip ? null : table.get("pipeline:" + run.name);
    if (s != null) {
      s.outcome(errorClass, runId, at);
      s.continuous("latency", durationMs, runId, at);
      if (errorClass == null && run.cost > 0) {
        s.continuous("cost", run.cost, runId, at);
      }
    }
    return true;
  }

  /** The pipeline run a stage's model call ({@code RUN/STAGE/ATTEMPT}) belongs to, or null. */
  private PipelineRun pipelineOf(String runId) {
    int slash = runId.indexOf('/');
    return slash < 0 ? null : pipelines.get(runId.substring(0, slash));
  }

  private static String orUnknown(String errorClass) {
    return errorClass == null ? "unknown" : errorClass;
  }

  /** The group, the tenant and, for a pipeline stage's call, the stage. */
  private List<Series> runSeries(String runId, RunInfo info) {
    List<Series> out = new ArrayList<>(3);
    if (info.group != null) {
      add(out, "group:" + info.group + suffix(info));
    }
    if (info.tenant != null) {
      add(out, "tenant:" + info.tenant + suffix(info));
    }
    int first = runId.indexOf('/');
    int second = first < 0 ? -1 : runId.indexOf('/', first + 1);
    if (second > first + 1) {
      PipelineRun run = pipelines.get(runId.substring(0, first));
      String pipeline = run == null ? "unknown" : run.name;
      add(out, "stage:" + pipeline + "/" + runId.substring(first + 1, second));
    }
    return out;
  }

  /**
   * Embedding calls are a series of their own ({@code deployment:NAME/embeddings}, {@code
   * tenant:NAME/embeddings}...): their latency, tokens and model name have nothing in common with
   * chat's, and a tenant that both embeds and chats would otherwise see every change of the mix as
   * a shift.
   */
  private static String suffix(RunInfo info) {
    return "embeddings".equals(info.operation) ? EMBEDDINGS : "";
  }

  static final String EMBEDDINGS = "/embeddings";

  private void add(List<Series> out, String key) {
    Series s = table.get(key);
    if (s != null) {
      out.add(s);
    }
  }

  private static String orNone(String value) {
    return value == null || value.isBlank() ? IdentityDetector.NONE : value;
  }

  /** A pipeline run seen starting: its pipeline's name, and what its stages' calls cost so far. */
  private static final class PipelineRun {
    final String name;
    double cost;

    PipelineRun(String name) {
      this.name = name;
    }
  }

  private static final class RunInfo {
    String kind;
    String operation;
    String tenant;
    String group;
    boolean skip;
    boolean retried;
    boolean failedOver;
  }
}
