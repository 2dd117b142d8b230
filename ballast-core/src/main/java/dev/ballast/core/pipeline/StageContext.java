package dev.ballast.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.state.StatePins;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** What a stage handler sees of its run while one attempt of the stage executes. */
public interface StageContext {
  String runId();

  String tenant();

  PipelineDefinition pipeline();

  StageDefinition stage();

  int stageIndex();

  /** 1 for the first attempt of this stage. */
  int attempt();

  /** The node executing the attempt. */
  String workerId();

  /**
   * The run id under which a model call of this attempt is journaled: {@code
   * runId/stage/attempt@fence}, unique per run, stage, attempt and lease. The lease matters because
   * an attempt number repeats: a park gives its attempt back and a resume starts the stage at
   * attempt 1 again, and each new execution's call must get a journal of its own. A replay uses the
   * id the recorded output names, so its output compares equal.
   */
  String callId();

  /** The call id of an attempt of {@code stage} under the lease with {@code fence}. */
  static String callId(String runId, String stage, int attempt, long fence) {
    return runId + "/" + stage + "/" + attempt + "@" + fence;
  }

  /** The run's input as submitted. */
  JsonNode input();

  /** The outputs of the completed stages, by stage name, in pipeline order. */
  Map<String, JsonNode> outputs();

  /**
   * The document templates are rendered against: {@code {"input": ..., "stages": {name: output},
   * "run": {"id": ..., "tenant": ..., "pipeline": ..., "version": ...}}}.
   */
  JsonNode templateScope();

  /** When this attempt is abandoned: the stage's timeout from its start. */
  Instant deadline();

  Clock clock();

  /**
   * Records the effect {@code name} of this stage in the effects ledger before it is applied.
   *
   * @throws dev.ballast.core.queue.FencedOffException when this worker no longer holds the run; the
   *     effect must then not be applied
   */
  Effect effect(String name);

  /**
   * The memory version and collection generations this run reads, fixed when it was submitted;
   * stages read state as of these and never as of "now", so every stage on every node sees the same
   * state. {@link StatePins#NONE} for a run that pins none.
   */
  StatePins pins();

  /**
   * Appends {@code event} (a {@code Retrieval}, {@code MemoryRead}, {@code MemoryMutated} or {@code
   * ContextAssembled}) to the run's journal under this attempt's lease. Never throws for a journal
   * problem: the journal is asynchronous.
   */
  void record(JournalEvent event);

  /**
   * Whether the run's tenant lets content be kept ({@code tenants.NAME.capture}): a stage keeps
   * what it received from outside (a webhook's answer) in its output only when it does. True by
   * default.
   */
  default boolean capturesContent() {
    return true;
  }
}
