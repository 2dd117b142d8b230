package dev.ballast.pipeline.crash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.pipeline.PipelineEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges a crash run against the requirements: every submitted run succeeded with the output its
 * input implies, none was lost, the ledger holds exactly one webhook key per run, the deduplicating
 * sink applied every key exactly once (however often it was delivered), and no run held by a killed
 * worker waited much longer than the lease before a live worker took it over.
 */
final class CrashAnalysis {
  private static final int STAGES = 5;
  private static final int EXAMPLES = 3;
  private static final int SIGKILL_EXIT = 128 + 9;

  private final CrashSettings settings;
  private final CrashScenario.Observed o;
  private final Map<String, RunState> runs;
  private final Map<String, List<CrashScenario.Checkpoint>> checkpoints;
  private final Map<String, List<CrashScenario.Claim>> claims;
  private final List<String> problems = new ArrayList<>();

  private CrashAnalysis(CrashSettings settings, CrashScenario.Observed observed) {
    this.settings = settings;
    this.o = observed;
    this.runs =
        observed.runs().stream().collect(Collectors.toMap(RunState::runId, Function.identity()));
    this.checkpoints =
        observed.checkpoints().stream()
            .sorted(Comparator.comparing(CrashScenario.Checkpoint::at))
            .collect(Collectors.groupingBy(CrashScenario.Checkpoint::runId));
    this.claims =
        observed.claims().stream()
            .sorted(Comparator.comparing(CrashScenario.Claim::at))
            .collect(Collectors.groupingBy(CrashScenario.Claim::runId));
  }

  static CrashReport analyze(
      CrashSettings settings,
      String backend,
      CrashReport.Environment environment,
      CrashScenario.Observed o) {
    return new CrashAnalysis(settings, o).report(backend, environment);
  }

  private CrashReport report(String backend, CrashReport.Environment environment) {
    CrashReport.Runs runsPart = runs();
    CrashReport.Effects effects = effects();
    CrashReport.Kills kills = kills();
    CrashReport.Timing timing = timing();
    List<String> samples =
        o.warnings().stream()
            .collect(
                Collectors.toMap(
                    // One sample per kind of message: numbers and ids vary between occurrences.
                    w -> w.replaceAll("[0-9a-f]{6,}|[0-9]+", "#").replaceFirst("^[^:]*: ", ""),
                    w -> w.length() > 400 ? w.substring(0, 400) + "..." : w,
                    (a, b) -> a,
                    TreeMap::new))
            .values()
            .stream()
            .limit(10)
            .toList();
    return new CrashReport(
        backend,
        environment,
        new CrashReport.Setup(
            settings.runs(),
            settings.kills(),
            settings.workers(),
            settings.minAlive(),
            settings.concurrency(),
            settings.lease().toMillis(),
            settings.heartbeat().toMillis(),
            settings.poll().toMillis(),
            settings.maxPause().toMillis(),
            settings.sinkDelay().toMillis(),
            settings.margin().toMillis(),
            settings.seed()),
        runsPart,
        effects,
        kills,
        timing,
        o.warnings().size(),
        samples,
        List.copyOf(problems));
  }

  private CrashReport.Runs runs() {
    if (!o.settled()) {
      problems.add(
          "not every run settled within "
              + settings.completionTimeout()
              + " after the last kill; worker logs:\n"
              + o.logTails());
    }
    int lost = 0;
    int succeeded = 0;
    int wrong = 0;
    Map<String, Long> others = new TreeMap<>();
    List<String> wrongExamples = new ArrayList<>();
    for (Map.Entry<String, Integer> s : o.submitted().entrySet()) {
      RunState run = runs.get(s.getKey());
      if (run == null) {
        lost++;
        continue;
      }
      if (run.state() != QueueState.SUCCEEDED) {
        others.merge(run.state().wireName(), 1L, Long::sum);
        continue;
      }
      succeeded++;
      JsonNode expected = normalized(CrashPipeline.expectedOutput(run.runId(), s.getValue()));
      JsonNode actual = PipelineEngine.json(run.output());
      if (!expected.equals(actual)) {
        wrong++;
        example(wrongExamples, run.runId() + ": expected " + expected + ", was " + actual);
      }
    }
    check(lost == 0, lost + " submitted runs are not in the queue (lost)");
    check(
        o.runs().size() == o.submitted().size(),
        "the queue holds "
            + o.runs().size()
            + " runs, "
            + o.submitted().size()
            + " were submitted");
    check(
        succeeded == o.submitted().size(),
        (o.submitted().size() - succeeded)
            + " runs did not succeed: "
            + others
            + " "
            + notSucceededExamples());
    check(wrong == 0, wrong + " runs have a wrong final output, e.g. " + wrongExamples);
    int incomplete = 0;
    int takenOver = 0;
    for (String runId : o.submitted().keySet()) {
      List<CrashScenario.Checkpoint> cps = checkpoints.getOrDefault(runId, List.of());
      Set<Integer> indexes = new HashSet<>();
      cps.forEach(c -> indexes.add(c.index()));
      if (cps.size() != STAGES || indexes.size() != STAGES) {
        incomplete++;
      }
      RunState run = runs.get(runId);
      if (run != null && run.fence() > 1) {
        takenOver++; // taken over after its holder died (or, rarely, a retried stage)
      }
    }
    check(incomplete == 0, incomplete + " runs lack exactly one checkpoint per stage");
    return new CrashReport.Runs(
        o.submitted().size(), succeeded, others, lost, wrong, incomplete, takenOver);
  }

  private String notSucceededExamples() {
    return o.runs().stream()
        .filter(r -> r.state() != QueueState.SUCCEEDED)
        .limit(EXAMPLES)
        .map(
            r ->
                r.runId()
                    + " "
                    + r.state().wireName()
                    + " at stage "
                    + r.stageIndex()
                    + " attempts "
                    + r.attempts()
                    + " error "
                    + r.error())
        .toList()
        .toString();
  }

  private CrashReport.Effects effects() {
    Map<String, RecordingSink.KeyStats> sink = o.sink();
    Set<String> expected = new HashSet<>();
    o.submitted().keySet().forEach(id -> expected.add(CrashPipeline.effectKey(id)));
    List<String> missing = expected.stream().filter(k -> !sink.containsKey(k)).toList();
    List<String> unexpected = sink.keySet().stream().filter(k -> !expected.contains(k)).toList();
    long deliveries = 0;
    int notOnce = 0;
    int redelivered = 0;
    int differ = 0;
    List<String> bodyExamples = new ArrayList<>();
    for (Map.Entry<String, RecordingSink.KeyStats> e : sink.entrySet()) {
      RecordingSink.KeyStats k = e.getValue();
      deliveries += k.deliveries();
      notOnce += k.applied() == 1 ? 0 : 1;
      redelivered += k.deliveries() > 1 ? 1 : 0;
      differ += k.bodiesDiffer() ? 1 : 0;
      String runId = e.getKey().substring(0, e.getKey().indexOf('/'));
      Integer n = o.submitted().get(runId);
      if (n != null && !bodyMatches(k.body(), n)) {
        example(bodyExamples, e.getKey() + " carried " + k.body());
      }
    }
    check(
        missing.isEmpty(), missing.size() + " runs never reached the sink, e.g. " + first(missing));
    check(unexpected.isEmpty(), "the sink saw unknown keys, e.g. " + first(unexpected));
    check(notOnce == 0, notOnce + " effect keys were applied other than exactly once");
    check(differ == 0, differ + " effect keys were redelivered with another body");
    check(bodyExamples.isEmpty(), "webhook bodies disagree with their runs: " + bodyExamples);
    check(o.sinkRequestsWithoutKey() == 0, o.sinkRequestsWithoutKey() + " deliveries had no key");
    check(
        deliveries == o.sinkRequests() - o.sinkRequestsWithoutKey() - o.sinkRequestsCutOff(),
        "the sink counted "
            + o.sinkRequests()
            + " requests ("
            + o.sinkRequestsCutOff()
            + " cut off) but "
            + deliveries
            + " deliveries");
    Map<String, List<CrashScenario.LedgerRow>> ledger =
        o.ledger().stream().collect(Collectors.groupingBy(CrashScenario.LedgerRow::runId));
    int ledgerViolations = 0;
    for (String runId : o.submitted().keySet()) {
      List<CrashScenario.LedgerRow> rows = ledger.getOrDefault(runId, List.of());
      if (rows.size() != 1
          || !rows.getFirst().key().equals(CrashPipeline.effectKey(runId))
          || !rows.getFirst().stage().equals(CrashPipeline.EFFECT_STAGE)) {
        ledgerViolations++;
      }
    }
    check(
        ledgerViolations == 0,
        ledgerViolations + " runs do not have exactly their one webhook key in the effects ledger");
    check(
        o.ledger().size() == o.submitted().size(),
        "the effects ledger has "
            + o.ledger().size()
            + " rows for "
            + o.submitted().size()
            + " runs");
    return new CrashReport.Effects(
        deliveries,
        sink.size(),
        missing.size(),
        unexpected.size(),
        notOnce,
        redelivered,
        deliveries - sink.size(),
        differ,
        o.sinkRequestsWithoutKey(),
        o.sinkRequestsCutOff(),
        o.ledger().size(),
        ledgerViolations);
  }

  private static boolean bodyMatches(JsonNode body, int n) {
    long sq = CrashPipeline.square(n);
    return body.path("n").asLong(-1) == n
        && body.path("score").asLong(-1) == CrashPipeline.score(sq)
        && body.path("tag").asText().equals("item-" + n);
  }

  private CrashReport.Kills kills() {
    int notSigkill = 0;
    int held = 0;
    double uptime = 0;
    for (CrashScenario.Kill k : o.kills()) {
      notSigkill += k.killed().exitCode() == SIGKILL_EXIT ? 0 : 1;
      held += k.held().size();
      uptime += k.killed().uptime().toMillis() / 1000.0;
    }
    check(
        o.kills().size() >= settings.kills(),
        "only " + o.kills().size() + " of " + settings.kills() + " kills were sent");
    check(notSigkill == 0, notSigkill + " killed workers did not end by SIGKILL (exit 137)");
    check(o.unexpectedExits() == 0, o.unexpectedExits() + " workers ended without being killed");
    check(
        o.kills().isEmpty() || held > 0,
        "no kill interrupted a run: the workers held nothing when they were killed");
    return new CrashReport.Kills(
        o.kills().size(),
        notSigkill,
        o.workersStarted(),
        o.unexpectedExits(),
        held,
        o.kills().isEmpty() ? 0 : uptime / o.kills().size(),
        (long) o.startups().stream().mapToLong(Duration::toMillis).average().orElse(0),
        o.startups().stream().mapToLong(Duration::toMillis).max().orElse(0),
        o.sharedClassArchive());
  }

  private CrashReport.Timing timing() {
    Duration bound = settings.lease().plus(settings.margin());
    List<Long> stuck = new ArrayList<>();
    List<String> stuckExamples = new ArrayList<>();
    for (CrashScenario.Kill k : o.kills()) {
      for (Map.Entry<String, Long> h : k.held().entrySet()) {
        Instant progress = nextProgress(h.getKey(), h.getValue(), k.killed().at());
        if (progress == null) {
          continue; // the killed worker's last write finished the run
        }
        long ms = Duration.between(k.killed().at(), progress).toMillis();
        stuck.add(ms);
        if (ms > bound.toMillis()) {
          example(
              stuckExamples,
              h.getKey()
                  + " waited "
                  + ms
                  + " ms after "
                  + k.killed().nodeId()
                  + " was killed holding it under fence "
                  + h.getValue()
                  + " ("
                  + timeline(h.getKey(), k.killed().at())
                  + ")");
        }
      }
    }
    stuck.sort(null);
    long stuckMax = stuck.isEmpty() ? 0 : stuck.getLast();
    long stuckMedian = stuck.isEmpty() ? 0 : stuck.get(stuck.size() / 2);
    check(
        stuckExamples.isEmpty(),
        "runs of killed workers waited longer than lease + margin ("
            + bound
            + "): "
            + stuckExamples);
    Instant lastCompletion =
        o.runs().stream()
            .filter(r -> r.state() == QueueState.SUCCEEDED)
            .map(RunState::updatedAt)
            .max(Comparator.naturalOrder())
            .orElse(o.settledAt());
    long afterLastKill = Duration.between(o.lastKill(), lastCompletion).toMillis();
    check(
        afterLastKill <= bound.toMillis(),
        "the last run completed "
            + afterLastKill
            + " ms after the last kill, more than lease"
            + " + margin ("
            + bound
            + ")");
    long total = Duration.between(o.firstSubmit(), lastCompletion).toMillis();
    Pause pause = longestPause();
    return new CrashReport.Timing(
        o.settled(),
        total,
        total <= 0 ? 0 : o.submitted().size() * 1000.0 / total,
        afterLastKill,
        stuckMax,
        stuckMedian,
        stuck.size(),
        pause.ms(),
        pause.where());
  }

  /**
   * When a run held under {@code fence} by a worker killed at {@code killedAt} was taken over by a
   * live worker: the journaled claim under a higher fence, its first checkpoint with a higher
   * fence, its completion under a higher fence, or a later kill of a worker that held it under a
   * higher fence, whichever came first; null if none did (the holder finished it before it died).
   *
   * <p>The claim is what the lease bound promises; the checkpoint and the later kill stand in for
   * it when its journal write did not reach the store (the taking worker was killed too). Both come
   * after the claim, so counting them never makes a wait look shorter than it was.
   */
  private Instant nextProgress(String runId, long fence, Instant killedAt) {
    Instant first = null;
    for (CrashScenario.Checkpoint c : checkpoints.getOrDefault(runId, List.of())) {
      if (c.fence() > fence) {
        first = c.at();
        break;
      }
    }
    for (CrashScenario.Claim c : claims.getOrDefault(runId, List.of())) {
      if (c.fence() > fence && (first == null || c.at().isBefore(first))) {
        first = c.at();
        break;
      }
    }
    RunState run = runs.get(runId);
    if (first == null
        && run != null
        && run.state() == QueueState.SUCCEEDED
        && run.fence() > fence) {
      first = run.updatedAt();
    }
    for (CrashScenario.Kill later : o.kills()) {
      Long heldUnder = later.held().get(runId);
      Instant at = later.killed().at();
      if (heldUnder != null
          && heldUnder > fence
          && at.isAfter(killedAt)
          && (first == null || at.isBefore(first))) {
        first = at;
      }
    }
    return first;
  }

  /**
   * What happened to a run from a kill on, in time order, for a failure message: claims,
   * checkpoints, later kills of its holders, and where it ended.
   */
  private String timeline(String runId, Instant from) {
    TreeMap<Long, List<String>> steps = new TreeMap<>();
    java.util.function.BiConsumer<Instant, String> step =
        (at, what) ->
            steps
                .computeIfAbsent(Duration.between(from, at).toMillis(), ms -> new ArrayList<>())
                .add(what);
    for (CrashScenario.Claim c : claims.getOrDefault(runId, List.of())) {
      if (!c.at().isBefore(from)) {
        step.accept(c.readyAt(), "claimable");
        step.accept(c.at(), "claimed by " + c.worker() + " under fence " + c.fence());
      }
    }
    for (CrashScenario.Checkpoint c : checkpoints.getOrDefault(runId, List.of())) {
      if (!c.at().isBefore(from)) {
        step.accept(c.at(), "stage " + c.index() + " checkpointed under fence " + c.fence());
      }
    }
    for (CrashScenario.Kill k : o.kills()) {
      Long heldUnder = k.held().get(runId);
      if (heldUnder != null && k.killed().at().isAfter(from)) {
        step.accept(
            k.killed().at(), k.killed().nodeId() + " killed holding it under fence " + heldUnder);
      }
    }
    RunState run = runs.get(runId);
    if (run != null) {
      step.accept(
          run.updatedAt(),
          run.state() + " under fence " + run.fence() + " after " + run.attempts() + " attempts");
    }
    List<String> out = new ArrayList<>();
    steps.forEach((ms, whats) -> whats.forEach(w -> out.add("+" + ms + " ms " + w)));
    return String.join("; ", out);
  }

  /** The longest gap between consecutive progress (checkpoints, completion) of any run. */
  private record Pause(long ms, String where) {}

  private Pause longestPause() {
    Pause longest = new Pause(0, "none");
    for (Map.Entry<String, List<CrashScenario.Checkpoint>> e : checkpoints.entrySet()) {
      List<CrashScenario.Checkpoint> steps = new ArrayList<>(e.getValue());
      RunState run = runs.get(e.getKey());
      if (run != null && run.state() == QueueState.SUCCEEDED) {
        steps.add(new CrashScenario.Checkpoint(run.runId(), STAGES, run.fence(), run.updatedAt()));
      }
      for (int i = 1; i < steps.size(); i++) {
        CrashScenario.Checkpoint a = steps.get(i - 1);
        CrashScenario.Checkpoint b = steps.get(i);
        long ms = Duration.between(a.at(), b.at()).toMillis();
        if (ms > longest.ms()) {
          longest =
              new Pause(
                  ms,
                  String.format(
                      "run %s: stage %d under fence %d, then %s under fence %d",
                      e.getKey(),
                      a.index(),
                      a.fence(),
                      b.index() == STAGES ? "completion" : "stage " + b.index(),
                      b.fence()));
        }
      }
    }
    return longest;
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static void example(List<String> examples, String example) {
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
  }

  private static List<String> first(List<String> items) {
    return items.subList(0, Math.min(EXAMPLES, items.size()));
  }

  /** The tree as it reads back from stored JSON, so that numbers compare by value. */
  private static JsonNode normalized(JsonNode node) {
    try {
      return Json.mapper().readTree(Json.mapper().writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
