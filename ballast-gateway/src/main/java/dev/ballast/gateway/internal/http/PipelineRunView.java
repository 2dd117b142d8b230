package dev.ballast.gateway.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalEvent.StageCompleted;
import dev.ballast.core.journal.JournalEvent.StageFailed;
import dev.ballast.core.journal.JournalEvent.StageStarted;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.pipeline.PipelineEngine;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A pipeline run as the API shows it: the queue's state of the run (authoritative for where the run
 * is) with a per-stage view derived from its journal (attempts, outputs, errors).
 *
 * <p>A stage's state comes from the queue, so it is never behind: stages before the run's stage
 * index are {@code completed} (checkpointed), the stage at the index is {@code running}, {@code
 * failed} (run dead or failed) or {@code pending}, later ones {@code pending}. Attempts, outputs
 * and errors come from the journal, which is written asynchronously and may trail by a moment.
 */
final class PipelineRunView {
  private PipelineRunView() {}

  /** The run without its stages or documents, as listed. */
  static ObjectNode summary(RunState run, Optional<PipelineDefinition> definition) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", run.runId());
    n.put("object", "pipeline.run");
    n.put("pipeline", run.pipeline());
    n.put("version", run.pipelineVersion());
    n.put("tenant", run.tenant());
    n.put("state", run.state().wireName());
    n.put("priority", run.priority());
    n.put("stage_index", run.stageIndex());
    n.put("current_stage", currentStage(run, definition));
    n.put("attempts", run.attempts());
    n.put("waiting_on", run.waitingOn());
    n.put("failed_stage", run.failedStage());
    n.put("error", run.error());
    n.put("enqueued_at", text(run.enqueuedAt()));
    n.put("updated_at", text(run.updatedAt()));
    n.put("lease_owner", run.leaseOwner());
    return n;
  }

  /**
   * The run with its input, output and per-stage view.
   *
   * @param journal the run's journal events, in order
   * @param blobs payload content by hash, for stage outputs
   */
  static ObjectNode full(
      RunState run,
      Optional<PipelineDefinition> definition,
      List<JournalEntry> journal,
      Function<String, Optional<byte[]>> blobs) {
    ObjectNode n = summary(run, definition);
    n.set("input", PipelineEngine.json(run.input()));
    n.set("output", PipelineEngine.json(run.output()));
    ArrayNode stages = n.putArray("stages");
    List<String[]> names = stageNames(run, definition, journal);
    for (int i = 0; i < names.size(); i++) {
      stages.add(stage(run, i, names.get(i)[0], names.get(i)[1], journal, blobs));
    }
    return n;
  }

  /**
   * True when the journal has not yet caught up with a run that has ended: a stage the queue
   * checkpointed has no {@code StageCompleted}, or the stage that failed has no {@code StageFailed}
   * that ended the run (an earlier attempt's failure, which led to a retry, does not count).
   */
  static boolean journalBehind(RunState run, List<JournalEntry> journal) {
    if (run.state() != QueueState.SUCCEEDED
        && run.state() != QueueState.DEAD
        && run.state() != QueueState.FAILED) {
      return false;
    }
    for (int i = 0; i < run.stageIndex(); i++) {
      int index = i;
      if (journal.stream()
          .noneMatch(e -> e.event() instanceof StageCompleted c && c.index() == index)) {
        return true;
      }
    }
    String ended = run.state().wireName();
    return run.state() != QueueState.SUCCEEDED
        && journal.stream()
            .noneMatch(
                e ->
                    e.event() instanceof StageFailed f
                        && f.index() == run.stageIndex()
                        && ended.equals(f.next()));
  }

  private static ObjectNode stage(
      RunState run,
      int index,
      String name,
      String type,
      List<JournalEntry> journal,
      Function<String, Optional<byte[]>> blobs) {
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("name", name);
    s.put("index", index);
    s.put("type", type);
    String state = stageState(run, index);
    s.put("state", state);
    int attempts = 0;
    StageCompleted completed = null;
    StageFailed failed = null;
    for (JournalEntry entry : journal) {
      JournalEvent e = entry.event();
      if (e instanceof StageStarted st && st.index() == index) {
        attempts++;
      } else if (e instanceof StageCompleted c && c.index() == index) {
        completed = c;
      } else if (e instanceof StageFailed f && f.index() == index) {
        failed = f;
      }
    }
    s.put("attempts", attempts);
    s.set("output", completed == null ? null : content(completed.output(), blobs));
    boolean showError = failed != null && !state.equals("completed");
    s.put("error", showError ? failed.message() : null);
    s.put("error_class", showError ? failed.errorClass() : null);
    return s;
  }

  private static String stageState(RunState run, int index) {
    if (run.state() == QueueState.SUCCEEDED || index < run.stageIndex()) {
      return "completed";
    }
    if (index > run.stageIndex()) {
      return "pending";
    }
    return switch (run.state()) {
      case RUNNING -> "running";
      case DEAD, FAILED -> "failed";
      default -> "pending";
    };
  }

  /** Name and type per stage: the definition's, or the journal's for a version not known here. */
  private static List<String[]> stageNames(
      RunState run, Optional<PipelineDefinition> definition, List<JournalEntry> journal) {
    List<String[]> names = new ArrayList<>();
    if (definition.isPresent() && definition.get().version().equals(run.pipelineVersion())) {
      definition.get().stages().forEach(s -> names.add(new String[] {s.name(), s.type()}));
      return names;
    }
    TreeMap<Integer, String> seen = new TreeMap<>();
    for (JournalEntry entry : journal) {
      if (entry.event() instanceof StageStarted s) {
        seen.putIfAbsent(s.index(), s.stage());
      } else if (entry.event() instanceof StageFailed f) {
        seen.putIfAbsent(f.index(), f.stage());
      }
    }
    seen.values().forEach(n -> names.add(new String[] {n, null}));
    return names;
  }

  private static String currentStage(RunState run, Optional<PipelineDefinition> definition) {
    if (run.state() == QueueState.SUCCEEDED || run.state() == QueueState.FAILED) {
      return null;
    }
    if (run.failedStage() != null && run.state() == QueueState.DEAD) {
      return run.failedStage();
    }
    return definition
        .filter(d -> d.version().equals(run.pipelineVersion()))
        .filter(d -> run.stageIndex() < d.stages().size())
        .map(d -> d.stage(run.stageIndex()).name())
        .orElse(null);
  }

  private static JsonNode content(Payload payload, Function<String, Optional<byte[]>> blobs) {
    if (payload == null) {
      return null;
    }
    byte[] bytes =
        payload.bytes() != null ? payload.bytes() : blobs.apply(payload.hash()).orElse(null);
    if (bytes == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException notJson) {
      return Json.mapper()
          .getNodeFactory()
          .textNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
