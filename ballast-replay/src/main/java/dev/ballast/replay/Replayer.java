package dev.ballast.replay;

import dev.ballast.core.config.PromptConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.RunIds;
import dev.ballast.core.journal.RunQuery;
import dev.ballast.core.journal.RunSummary;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.spi.JournalStore;
import dev.ballast.core.spi.MemoryStore;
import dev.ballast.pipeline.StateServices;
import dev.ballast.pipeline.spi.ContextPacker;
import dev.ballast.replay.internal.GatewayRunReplay;
import dev.ballast.replay.internal.PipelineReplay;
import dev.ballast.replay.internal.Recording;
import dev.ballast.replay.internal.ReplayState;
import dev.ballast.replay.internal.WhatIfJournal;
import dev.ballast.replay.spi.GatewayCalls;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Replays recorded runs. A deterministic replay re-executes a run from its journal with zero
 * external calls (providers and webhooks answer from the recording; anything else fails the replay)
 * and reports the first divergence; a what-if sends the overridden calls live and journals the
 * result as a new run linked by {@code ReplayOf}.
 *
 * <p>Thread-safe: each replay keeps its own state. Throws {@link ReplayException} for an unknown
 * run or a bad override; any other problem is an {@link ReplayOutcome#ERROR} in the report.
 */
public final class Replayer {
  private final JournalStore store;
  private final Map<String, Pipeline> pipelines;
  private final Map<String, PromptConfig> prompts;
  private final Set<String> groups;
  private final GatewayCalls gateway;
  private final JournalWriter journal;
  private final Clock clock;
  private final StateServices state;

  /**
   * @param pipelines the pipelines as configured now, by name
   * @param prompts the configured prompts a what-if may switch a stage to, by name
   * @param groups the model groups a what-if may switch to
   * @param gateway the gateway's attempt loop; null to feed recorded answers back without it (no
   *     what-if then)
   * @param journal where what-if runs are written; null for no what-if
   */
  public Replayer(
      JournalStore store,
      Map<String, Pipeline> pipelines,
      Map<String, PromptConfig> prompts,
      Set<String> groups,
      GatewayCalls gateway,
      JournalWriter journal,
      Clock clock) {
    this(store, pipelines, prompts, groups, gateway, journal, clock, null, null);
  }

  /**
   * A replayer whose pipeline runs may have state stages: {@code assemble_context} reads {@code
   * memory} as of the run's pinned version and packs with {@code packer}; retrievals and memory
   * updates are fed from the journal, and nothing is searched or written ({@code ReplayState}).
   *
   * @param memory the store's conversation memory, or null
   * @param packer the configuration's context packer, or null
   */
  public Replayer(
      JournalStore store,
      Map<String, Pipeline> pipelines,
      Map<String, PromptConfig> prompts,
      Set<String> groups,
      GatewayCalls gateway,
      JournalWriter journal,
      Clock clock,
      MemoryStore memory,
      ContextPacker packer) {
    this.state = memory == null && packer == null ? null : ReplayState.of(memory, packer);
    this.store = store;
    this.pipelines = Map.copyOf(pipelines);
    this.prompts = Map.copyOf(prompts);
    this.groups = Set.copyOf(groups);
    this.gateway = gateway;
    this.journal = journal;
    this.clock = clock;
  }

  /**
   * Replays one run.
   *
   * @throws ReplayException {@code UNKNOWN_RUN} when the journal has no such run, {@code
   *     BAD_OVERRIDE} when an override names an unknown group, prompt or stage
   */
  public ReplayReport replay(String runId, Overrides overrides) {
    Recording rec = Recording.load(store, runId);
    if (rec == null || rec.started() == null) {
      throw new ReplayException(
          ReplayException.Reason.UNKNOWN_RUN, "no run " + runId + " in the journal");
    }
    checkOverrides(overrides);
    if ("pipeline".equals(rec.started().kind())) {
      return pipeline(rec, overrides);
    }
    if (gateway == null) {
      return ReplayReport.error(
          runId, "gateway", overrides.mode(), "replaying a gateway call needs the gateway");
    }
    if (!overrides.prompts().isEmpty() || overrides.fromStage() != null) {
      throw bad("a gateway call has no stages or prompts; only --group applies to it");
    }
    WhatIfJournal whatIf =
        overrides.isEmpty() ? null : whatIf(RunIds.next("run_", clock), runId, overrides);
    return GatewayRunReplay.run(rec, gateway, overrides.group(), whatIf);
  }

  /**
   * Replays every run the filter selects, newest first, telling {@code progress} after each. Model
   * calls of pipeline runs are replayed as parts of their runs, not on their own.
   */
  public BatchSummary replayAll(
      BatchFilter filter, Overrides overrides, Consumer<ReplayReport> progress) {
    List<ReplayReport> reports = new ArrayList<>();
    for (RunSummary run : select(filter)) {
      ReplayReport report;
      try {
        report = replay(run.id(), overrides);
      } catch (ReplayException e) {
        if (e.reason() == ReplayException.Reason.BAD_OVERRIDE) {
          throw e;
        }
        report = ReplayReport.error(run.id(), run.kind(), overrides.mode(), e.getMessage());
      } catch (RuntimeException e) {
        report = ReplayReport.error(run.id(), run.kind(), overrides.mode(), e.toString());
      }
      reports.add(report);
      progress.accept(report);
    }
    return new BatchSummary(reports);
  }

  /** The runs a batch would replay, newest first. */
  public List<RunSummary> select(BatchFilter filter) {
    List<RunSummary> selected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    RunQuery page = filter.query();
    // Without a pipeline the listing holds model calls too, so one page of it may hold few of the
    // runs asked for: page back in time until the limit is reached.
    while (selected.size() < filter.limit()) {
      List<RunSummary> runs = store.listRuns(page);
      boolean added = false;
      for (RunSummary run : runs) {
        if (!seen.add(run.id())) {
          continue;
        }
        added = true;
        if (matches(filter, run) && selected.size() < filter.limit()) {
          selected.add(run);
        }
      }
      // Nothing new on a full page: more than a page of runs started at one instant; stop there.
      if (runs.size() < page.limit() || !added) {
        break;
      }
      // until is exclusive; a nanosecond past the oldest start keeps the runs that started at
      // that same instant but did not fit the page (those already seen are skipped above).
      Instant oldest = runs.getLast().startedAt();
      page =
          new RunQuery(
              page.tenant(),
              page.model(),
              page.status(),
              page.errorClass(),
              page.since(),
              oldest.plusNanos(1),
              page.limit(),
              page.pipeline());
    }
    return selected;
  }

  private static boolean matches(BatchFilter filter, RunSummary run) {
    // With a pipeline the query already holds only its runs. Without one it holds the pipelines'
    // model calls too, gateway runs named RUN/STAGE/ATTEMPT, which their own run replays.
    return filter.pipeline() != null || run.id().indexOf('/') < 0;
  }

  private ReplayReport pipeline(Recording rec, Overrides overrides) {
    String name = rec.started().operation();
    Pipeline configured = pipelines.get(name);
    if (configured == null) {
      return ReplayReport.error(
          rec.runId(), "pipeline", overrides.mode(), "pipeline " + name + " is not configured");
    }
    Pipeline pipeline = WhatIfPlan.apply(configured, overrides, prompts);
    IntPredicate live = WhatIfPlan.live(pipeline.definition(), overrides);
    WhatIfJournal whatIf =
        overrides.isEmpty() ? null : whatIf(RunIds.next("prun_", clock), rec.runId(), overrides);
    return new PipelineReplay(rec, pipeline, gateway, state, clock)
        .run(live, whatIf, overrides.mode());
  }

  private WhatIfJournal whatIf(String newRunId, String runId, Overrides overrides) {
    return new WhatIfJournal(journal, clock, newRunId, runId, overrides.asMap());
  }

  private void checkOverrides(Overrides overrides) {
    if (overrides.isEmpty()) {
      return;
    }
    if (gateway == null || journal == null) {
      throw bad("a what-if replay needs the gateway's providers; this replayer has none");
    }
    if (overrides.group() != null && !groups.contains(overrides.group())) {
      throw bad("unknown model group \"" + overrides.group() + "\"; known: " + sorted(groups));
    }
    overrides
        .prompts()
        .forEach(
            (stage, prompt) -> {
              if (!prompts.containsKey(prompt)) {
                throw bad("unknown prompt \"" + prompt + "\"; known: " + sorted(prompts.keySet()));
              }
            });
  }

  static ReplayException bad(String message) {
    return new ReplayException(ReplayException.Reason.BAD_OVERRIDE, message);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
