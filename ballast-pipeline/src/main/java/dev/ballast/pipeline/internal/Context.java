package dev.ballast.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.pipeline.Effect;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.state.StatePins;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** The {@link StageContext} of one stage attempt. */
final class Context implements StageContext {
  private final RunExecution run;
  private final StageDefinition stage;
  private final int index;
  private final int attempt;
  private final Instant deadline;
  private final Function<String, Effect> effects;

  Context(
      RunExecution run,
      StageDefinition stage,
      int index,
      int attempt,
      Instant deadline,
      Function<String, Effect> effects) {
    this.run = run;
    this.stage = stage;
    this.index = index;
    this.attempt = attempt;
    this.deadline = deadline;
    this.effects = effects;
  }

  @Override
  public String runId() {
    return run.lease.runId();
  }

  @Override
  public String tenant() {
    return run.lease.tenant();
  }

  @Override
  public PipelineDefinition pipeline() {
    return run.definition;
  }

  @Override
  public StageDefinition stage() {
    return stage;
  }

  @Override
  public int stageIndex() {
    return index;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String workerId() {
    return run.lease.workerId();
  }

  @Override
  public String callId() {
    return StageContext.callId(runId(), stage.name(), attempt, run.lease.fence());
  }

  @Override
  public JsonNode input() {
    return run.input;
  }

  @Override
  public Map<String, JsonNode> outputs() {
    return java.util.Collections.unmodifiableMap(run.outputs);
  }

  @Override
  public JsonNode templateScope() {
    return run.scope();
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public Clock clock() {
    return run.clock;
  }

  @Override
  public boolean capturesContent() {
    return run.capturesContent();
  }

  @Override
  public Effect effect(String name) {
    return effects.apply(name);
  }

  @Override
  public StatePins pins() {
    return run.lease.pins();
  }

  @Override
  public void record(JournalEvent event) {
    run.journal.append(event);
  }

  static JournalEvent.EffectRecorded recorded(String stage, Effect effect, String target) {
    return new JournalEvent.EffectRecorded(stage, effect.key(), target, effect.firstRecord());
  }
}
