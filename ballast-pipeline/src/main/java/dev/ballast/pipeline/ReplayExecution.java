package dev.ballast.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.Payload;
import dev.ballast.core.pipeline.Effect;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.pipeline.StageContext;
import dev.ballast.core.pipeline.StageDefinition;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.spi.StageHandler;
import dev.ballast.core.state.StatePins;
import dev.ballast.pipeline.internal.Engine;
import dev.ballast.pipeline.internal.Failure;
import dev.ballast.pipeline.internal.Registry;
import dev.ballast.pipeline.internal.stages.BuiltinStages;
import dev.ballast.pipeline.spi.ModelCalls;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a pipeline's stages once each, in order, without the queue, leases or ledger: the real
 * stage handlers, with model calls, HTTP and state served by whatever the caller passes (a replay
 * passes senders that answer from the journal). Outputs pass through their checkpoint form (written
 * to bytes and read back) exactly as in {@link dev.ballast.pipeline.internal.RunExecution}, so
 * their hashes compare with the journal's. Not thread-safe; one instance per pipeline definition
 * may replay many runs in turn.
 */
public final class ReplayExecution {
  /** What the stages may reach. {@code state} may be null when no stage needs it. */
  public record Sources(ModelCalls models, HttpClient http, StateServices state, Clock clock) {}

  /** Told about each stage; decides the stages that are not executed but fed from the journal. */
  public interface Observer {
    /**
     * The stage's output to use without running its handler (a stage whose result is entirely
     * external, such as a retrieval), or null to run the handler.
     */
    JsonNode substitute(int index, StageDefinition stage);

    /** The attempt number the stage runs as (its recorded final attempt), at least 1. */
    int attempt(int index, StageDefinition stage);

    /**
     * The call id the stage's model call had in the recording (the one its recorded output names),
     * or null for the conventional {@code runId/stage/attempt} of journals from before call ids
     * named their lease.
     */
    String callId(int index, StageDefinition stage);

    /** Whether the effect had been recorded before, as the journal says. */
    boolean firstRecord(String stage, String key);

    /** Events a stage records (retrievals, memory reads): a replay compares or re-journals them. */
    void recorded(StageDefinition stage, JournalEvent event);

    void completed(int index, StageDefinition stage, JsonNode output, String hash, double ms);

    /** The handler threw; true to stop the run (a failure ends a real run too). */
    void failed(int index, StageDefinition stage, String errorClass, String message, double ms);
  }

  private final PipelineDefinition definition;
  private final List<StageHandler> handlers;
  private final Clock clock;

  public ReplayExecution(Pipeline pipeline, Sources sources) {
    Registry registry =
        new Registry(
            List.of(pipeline),
            new BuiltinStages(sources.models(), sources.state(), sources.http()));
    Registry.Compiled compiled = registry.get(pipeline.definition().name()).orElseThrow();
    this.definition = compiled.definition();
    this.handlers = compiled.handlers();
    this.clock = sources.clock();
  }

  public PipelineDefinition definition() {
    return definition;
  }

  /**
   * Runs the stages in order until one fails.
   *
   * @return the run's output ({@link PipelineDefinition#runOutput}), or null when a stage failed
   * @throws NetworkForbiddenException when a stage reached for something outside the recording
   */
  public JsonNode run(
      String runId, String tenant, JsonNode input, StatePins pins, Observer observer) {
    LinkedHashMap<String, JsonNode> outputs = new LinkedHashMap<>();
    for (int i = 0; i < definition.stages().size(); i++) {
      StageDefinition stage = definition.stage(i);
      long t0 = System.nanoTime();
      JsonNode out = observer.substitute(i, stage);
      try {
        if (out == null) {
          ReplayContext ctx =
              new ReplayContext(runId, tenant, input, pins, outputs, i, observer.attempt(i, stage));
          out = handlers.get(i).execute(ctx.with(stage, observer));
          out = out == null ? NullNode.getInstance() : out;
        }
      } catch (NetworkForbiddenException e) {
        throw e;
      } catch (Throwable t) {
        Failure f = Failure.classify(t, stage.policy().dependency(), clock.instant());
        observer.failed(i, stage, f.errorClass(), f.message(), ms(t0));
        return null;
      }
      byte[] bytes = bytes(out);
      outputs.put(stage.name(), Engine.json(bytes));
      observer.completed(i, stage, outputs.get(stage.name()), Payload.sha256(bytes), ms(t0));
    }
    ObjectNode scope = JsonNodeFactory.instance.objectNode();
    scope.set("input", input);
    ObjectNode stages = scope.putObject("stages");
    outputs.forEach(stages::set);
    ObjectNode r = scope.putObject("run");
    r.put("id", runId);
    r.put("tenant", tenant);
    r.put("pipeline", definition.name());
    r.put("version", definition.version());
    try {
      return definition.runOutput(scope);
    } catch (StageException e) {
      int last = definition.stages().size() - 1;
      observer.failed(last, definition.stage(last), e.errorClass(), e.getMessage(), 0);
      return null;
    }
  }

  /** The checkpoint form of a stage output, whose SHA-256 the journal's payload hash is. */
  public static byte[] bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  /** The stage context of a replayed attempt: no worker, no lease, effects from the journal. */
  private final class ReplayContext implements StageContext {
    private final String runId;
    private final String tenant;
    private final JsonNode input;
    private final StatePins pins;
    private final Map<String, JsonNode> outputs;
    private final int index;
    private final int attempt;
    private StageDefinition stage;
    private Observer observer;
    private Instant deadline;

    ReplayContext(
        String runId,
        String tenant,
        JsonNode input,
        StatePins pins,
        Map<String, JsonNode> outputs,
        int index,
        int attempt) {
      this.runId = runId;
      this.tenant = tenant;
      this.input = input;
      this.pins = pins == null ? StatePins.NONE : pins;
      this.outputs = outputs;
      this.index = index;
      this.attempt = Math.max(1, attempt);
    }

    ReplayContext with(StageDefinition stage, Observer observer) {
      this.stage = stage;
      this.observer = observer;
      this.deadline = clock.instant().plus(stage.policy().timeout());
      return this;
    }

    @Override
    public String runId() {
      return runId;
    }

    @Override
    public String tenant() {
      return tenant;
    }

    @Override
    public PipelineDefinition pipeline() {
      return definition;
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
      return "replay";
    }

    @Override
    public String callId() {
      String recorded = observer.callId(index, stage);
      return recorded != null ? recorded : runId + "/" + stage.name() + "/" + attempt;
    }

    @Override
    public JsonNode input() {
      return input;
    }

    @Override
    public Map<String, JsonNode> outputs() {
      return Collections.unmodifiableMap(outputs);
    }

    @Override
    public JsonNode templateScope() {
      ObjectNode scope = JsonNodeFactory.instance.objectNode();
      scope.set("input", input);
      ObjectNode stages = scope.putObject("stages");
      outputs.forEach(stages::set);
      ObjectNode r = scope.putObject("run");
      r.put("id", runId);
      r.put("tenant", tenant);
      r.put("pipeline", definition.name());
      r.put("version", definition.version());
      return scope;
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Effect effect(String name) {
      String key = runId + "/" + stage.name() + "/" + name;
      return new Effect(key, observer.firstRecord(stage.name(), key));
    }

    @Override
    public StatePins pins() {
      return pins;
    }

    @Override
    public void record(JournalEvent event) {
      observer.recorded(stage, event);
    }
  }
}
