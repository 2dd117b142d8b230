package dev.ballast.pipeline.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.Json;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.Pins;
import dev.ballast.core.journal.RunIds;
import dev.ballast.core.pipeline.PipelineDefinition;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.state.StatePins;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.EngineStats;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.Submission;
import dev.ballast.pipeline.SubmitRequest;
import dev.ballast.pipeline.UnknownPipelineException;
import dev.ballast.pipeline.internal.stages.BuiltinStages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link PipelineEngine} implementation. */
public final class Engine implements PipelineEngine {
  private final EngineSettings settings;
  private final Registry registry;
  private final EngineCore core;
  private final Workers workers;
  private final Pinning pinning;

  private Engine(EngineSettings s) {
    this.settings = s;
    this.registry = new Registry(s.pipelines(), new BuiltinStages(s.modelCalls(), s.state()));
    this.pinning =
        s.state() == null
            ? new Pinning(null, null)
            : new Pinning(s.state().documents(), s.state().memory());
    Dependencies dependencies = new Dependencies(s.dependencyBreaker(), s.clock(), s.queue());
    Heartbeats heartbeats =
        new Heartbeats(s.queue(), s.clock(), s.workers().lease(), s.workers().heartbeat());
    this.core =
        new EngineCore(
            s.nodeId(),
            s.queue(),
            s.journal(),
            s.clock(),
            s.workers(),
            dependencies,
            heartbeats,
            s.capture(),
            s.modelCalls());
    this.workers = new Workers(core, registry);
  }

  public static Engine start(EngineSettings settings) {
    Engine engine = new Engine(settings);
    if (settings.runWorkers()) {
      engine.workers.start();
    }
    return engine;
  }

  @Override
  public Submission submit(SubmitRequest request) {
    PipelineDefinition pipeline =
        registry
            .get(request.pipeline())
            .map(Registry.Compiled::definition)
            .orElseThrow(
                () ->
                    new UnknownPipelineException(
                        request.pipeline(),
                        registry.definitions().stream().map(PipelineDefinition::name).toList()));
    byte[] input;
    try {
      input = Json.mapper().writeValueAsBytes(request.input());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the run's input cannot be written as JSON", e);
    }
    Instant now = settings.clock().instant();
    String runId = RunIds.next("prun_", settings.clock());
    StatePins pins = pinning.pin(pipeline, request.tenant(), request.input(), runId);
    int priority = request.priority() == null ? pipeline.priority() : request.priority();
    QueuedRun queued =
        settings
            .queue()
            .enqueue(
                new NewRun(
                    runId,
                    pipeline.name(),
                    pipeline.version(),
                    request.tenant(),
                    priority,
                    input,
                    request.idempotencyKey(),
                    now,
                    pins),
                now,
                request.maxQueuedRuns());
    if (queued.created() && settings.journal() != null) {
      settings
          .journal()
          .submit(
              new JournalEntry(
                  runId,
                  0,
                  now,
                  new JournalEvent.RunStarted(
                      "pipeline",
                      pipeline.name(),
                      "ballast",
                      request.tenant(),
                      null,
                      false,
                      Pins.pipeline(
                          settings.configVersion(),
                          pipeline.version(),
                          pins == StatePins.NONE ? null : pins),
                      settings.capture().capture(request.tenant(), input))));
    }
    return new Submission(queued.run(), queued.created());
  }

  @Override
  public Optional<RunState> find(String runId) {
    return settings.queue().find(runId);
  }

  @Override
  public List<RunState> list(RunFilter filter) {
    return settings.queue().list(filter);
  }

  @Override
  public boolean resume(String runId) {
    JournalWriter writer = settings.journal();
    return Resumption.resume(
            settings.queue(),
            writer == null ? entry -> {} : writer::submit,
            runId,
            settings.clock().instant())
        .isPresent();
  }

  @Override
  public List<PipelineDefinition> pipelines() {
    return registry.definitions();
  }

  @Override
  public Optional<PipelineDefinition> pipeline(String name) {
    return registry.get(name).map(Registry.Compiled::definition);
  }

  @Override
  public QueueStats queueStats() {
    return settings.queue().stats(settings.clock().instant());
  }

  @Override
  public EngineStats stats() {
    return new EngineStats(
        workers.running(),
        core.claimed.get(),
        core.stagesCompleted.get(),
        core.succeeded.get(),
        core.dead.get(),
        core.parked.get(),
        core.heartbeats.lost.get());
  }

  public static JsonNode json(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored run document is not JSON", e);
    }
  }

  @Override
  public void stop(Duration grace) {
    workers.stop(grace);
    core.heartbeats.close();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
