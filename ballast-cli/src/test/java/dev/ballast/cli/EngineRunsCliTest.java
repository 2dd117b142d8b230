package dev.ballast.cli;

import static dev.ballast.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.cli.CliRunner.Result;
import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalEntry;
import dev.ballast.core.journal.JournalEvent;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.pipeline.Pipeline;
import dev.ballast.core.pipeline.RetryPolicy;
import dev.ballast.core.pipeline.StageException;
import dev.ballast.core.queue.QueueState;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's loop on a run a real engine executes: it goes dead, {@code runs resume} puts it
 * back, the engine finishes it, {@code runs show} tells the story.
 */
class EngineRunsCliTest {
  private static final WorkersConfig FAST =
      new WorkersConfig(2, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50));

  @TempDir Path dir;
  private QueueFixture store;
  private JournalWriter journal;
  private PipelineEngine engine;
  private final AtomicBoolean hookUp = new AtomicBoolean(false);

  @BeforeEach
  void startEngine() {
    store = new QueueFixture(dir.resolve("data"));
    journal =
        JournalWriter.start(
            store.store.journal(), JournalWriterConfig.defaults(dir.resolve("spool")));
    Pipeline flaky =
        Pipeline.named("flaky")
            .stage("fetch", ctx -> JsonNodeFactory.instance.objectNode().put("n", 1))
            .stage(
                "store",
                ctx -> {
                  if (!hookUp.get()) {
                    throw new StageException("upstream_down", "the warehouse is down", true);
                  }
                  return JsonNodeFactory.instance.objectNode().put("stored", true);
                })
            .retry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10), 2))
            .build();
    engine =
        PipelineEngine.start(
            EngineSettings.of("n1", store.store.runQueue(), List.of(flaky), FAST)
                .withJournal(journal));
  }

  @AfterEach
  void stopEngine() {
    engine.stop(Duration.ofMillis(200));
    journal.close();
    store.close();
  }

  @Test
  void aDeadRunResumedFromTheCliIsFinishedByTheEngineAndShownStageByStage() {
    String id =
        engine
            .submit(
                new SubmitRequest(
                    "flaky", "acme", JsonNodeFactory.instance.objectNode(), null, null))
            .run()
            .runId();
    awaitState(id, QueueState.DEAD);
    hookUp.set(true);

    Result resumed = cli("runs", "resume", id);
    awaitState(id, QueueState.SUCCEEDED);
    journal.flush(Duration.ofSeconds(5));
    Result shown = cli("runs", "show", id, "--journal");

    assertThat(resumed.exit()).isZero();
    assertThat(resumed.out()).contains("resumed " + id + ": queued at stage store");
    assertThat(shown.out())
        .contains("state=succeeded")
        .containsPattern("0  fetch\\s+1  completed")
        .containsPattern("1  store\\s+3  completed")
        .contains("RunDead")
        .contains("RunCompleted     completed in");
    // The same journal entry as the HTTP resume writes: one RunResumed, after the dead lease.
    assertThat(
            store.store.journal().events(id).stream()
                .filter(e -> e.event() instanceof JournalEvent.RunResumed)
                .toList())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(((JournalEvent.RunResumed) e.event()).stage()).isEqualTo("store");
              assertThat(e.seq() % JournalEntry.BLOCK).isEqualTo(JournalEntry.BLOCK - 1);
            });
  }

  private void awaitState(String id, QueueState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> engine.find(id).orElseThrow().state() == state);
  }

  private Result cli(String... args) {
    String[] withData = java.util.Arrays.copyOf(args, args.length + 2);
    withData[args.length] = "--data";
    withData[args.length + 1] = dir.resolve("data").toString();
    return run(withData);
  }
}
