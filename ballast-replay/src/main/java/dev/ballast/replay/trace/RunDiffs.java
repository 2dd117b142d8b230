package dev.ballast.replay.trace;

import dev.ballast.core.journal.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ballast diff A B}: aligns two runs' journals (see {@link RunDiff}). Compared per run: the
 * pipeline or model, versions and state pins, status, output, tokens and cost; per stage: its
 * outcome, prompt version, the model that answered and its fingerprint, the retrieved chunks (ids
 * and content hashes) and their generation, memory versions read and written, context cuts, effect
 * targets, output, tokens and cost; and what the run was asked: its input (by content hash) and its
 * conversation. Timings are never compared: they always differ; nor are the ids that name a run
 * (outputs are compared by a digest without them, see {@link RunTraces}). The pipeline version is
 * compared after the stages: it changes whenever a stage does (a what-if's group or prompt), and
 * the stage that changed is the better answer to where two runs part.
 */
public final class RunDiffs {
  private RunDiffs() {}

  /** Aligns two runs' trees, as {@link RunTraces} builds them. */
  public static RunDiff diff(TraceNode a, TraceNode b) {
    List<RunDiff.Row> rows = new ArrayList<>();
    compare(rows, "run", inputs(a), inputs(b));
    Map<String, TraceNode> stagesA = stages(a);
    Map<String, TraceNode> stagesB = stages(b);
    Set<String> names = new LinkedHashSet<>(stagesA.keySet());
    names.addAll(stagesB.keySet());
    for (String stage : names) {
      compare(rows, stage, stageFacts(stagesA.get(stage)), stageFacts(stagesB.get(stage)));
    }
    compare(rows, "run", version(a), version(b));
    compare(rows, "run", outcome(a), outcome(b));
    RunDiff.Row first = rows.stream().filter(r -> !r.same()).findFirst().orElse(null);
    return new RunDiff(
        String.valueOf(a.attributes().get("run_id")),
        String.valueOf(b.attributes().get("run_id")),
        rows,
        first);
  }

  private static void compare(
      List<RunDiff.Row> rows, String scope, Map<String, Object> a, Map<String, Object> b) {
    Set<String> fields = new LinkedHashSet<>(a.keySet());
    fields.addAll(b.keySet());
    for (String field : fields) {
      Object va = a.get(field);
      Object vb = b.get(field);
      rows.add(new RunDiff.Row(scope, field, va, vb, Objects.equals(va, vb)));
    }
  }

  /** What the run was: the pipeline or model and the versions and state it was pinned to. */
  private static Map<String, Object> inputs(TraceNode run) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("kind", run.kind());
    f.put("name", run.name());
    for (String key :
        List.of(
            "config_version",
            "memory_version",
            "generations",
            "group",
            "route",
            "input_hash",
            "conversation")) {
      copy(run, key, f);
    }
    return f;
  }

  private static Map<String, Object> version(TraceNode run) {
    Map<String, Object> f = new LinkedHashMap<>();
    copy(run, "pipeline_version", f);
    return f;
  }

  /** How the run ended; compared after the stages, which explain it. */
  private static Map<String, Object> outcome(TraceNode run) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (run.kind().equals("call")) {
      answered(run, f);
    }
    f.put("status", run.status());
    for (String key :
        List.of("finish_reason", "output_digest", "input_tokens", "output_tokens", "cost_usd")) {
      copy(run, key, f);
    }
    return f;
  }

  private static Map<String, TraceNode> stages(TraceNode run) {
    Map<String, TraceNode> stages = new LinkedHashMap<>();
    for (TraceNode child : run.children()) {
      if (child.kind().equals("stage")) {
        stages.put(child.name(), child);
      }
    }
    return stages;
  }

  /** A stage's facts from its final attempt; empty when the run has no such stage. */
  private static Map<String, Object> stageFacts(TraceNode stage) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (stage == null) {
      f.put("ran", false);
      return f;
    }
    f.put("ran", true);
    TraceNode last = stage.children().isEmpty() ? null : stage.children().getLast();
    if (last == null) {
      return f;
    }
    copy(last, "prompt_version", f);
    TraceNode call =
        last.children().stream().filter(c -> c.kind().equals("call")).findFirst().orElse(null);
    if (call != null) {
      copy(call, "group", f);
      answered(call, f);
    }
    for (TraceNode r : last.findAll("retrieval")) {
      f.put("retrieval_generation", r.attributes().get("generation"));
      List<String> chunks = new ArrayList<>();
      Object list = r.attributes().get("chunks");
      if (list instanceof List<?> items) {
        for (Object item : items) {
          Map<?, ?> c = (Map<?, ?>) item;
          chunks.add(c.get("document") + "#" + c.get("chunk_id") + "@" + c.get("content_hash"));
        }
      }
      f.put("retrieved_chunks", chunks);
    }
    for (TraceNode m : last.findAll("memory_read")) {
      f.put("memory_read_version", m.attributes().get("version"));
    }
    for (TraceNode m : last.findAll("memory_mutation")) {
      f.put(
          "memory_write",
          m.attributes().get("version_before") + " -> " + m.attributes().get("version_after"));
    }
    for (TraceNode c : last.findAll("context")) {
      f.put("context_tokens", c.attributes().get("used"));
      List<String> cuts = new ArrayList<>();
      Object list = c.attributes().get("cut");
      if (list instanceof List<?> items) {
        for (Object item : items) {
          Map<?, ?> cut = (Map<?, ?>) item;
          cuts.add(cut.get("kind") + " " + cut.get("ref") + " (" + cut.get("reason") + ")");
        }
      }
      f.put("context_cuts", cuts);
      copy(c, "routed_to", f);
    }
    List<String> effects = new ArrayList<>();
    last.findAll("effect").forEach(e -> effects.add(String.valueOf(e.attributes().get("target"))));
    if (!effects.isEmpty()) {
      f.put("effect_targets", effects);
    }
    f.put("status", last.status());
    copy(last, "output_digest", f);
    if (call != null) {
      copy(call, "input_tokens", f);
      copy(call, "output_tokens", f);
      copy(call, "cost_usd", f);
    }
    return f;
  }

  /** The deployment and model that answered a call, and the model's fingerprint. */
  private static void answered(TraceNode call, Map<String, Object> f) {
    copy(call, "deployment", f);
    copy(call, "response_model", f);
    for (TraceNode a : call.children()) {
      if (a.kind().equals("provider_attempt")
          && Decision.of(String.valueOf(a.attributes().get("decision")))
              .filter(Decision.ANSWERED::equals)
              .isPresent()) {
        f.put("system_fingerprint", a.attributes().get("system_fingerprint"));
      }
    }
  }

  private static void copy(TraceNode node, String key, Map<String, Object> into) {
    Object value = node.attributes().get(key);
    if (value != null) {
      into.put(key, value);
    }
  }
}
