package dev.ballast.pipeline.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.spi.RunQueue;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.pipeline.SubmitRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test, on each backend: worker nodes run as separate JVMs and are killed with SIGKILL at
 * random moments while runs of a five-stage pipeline with a webhook execute; every run must
 * complete with the right output, none may be lost, the deduplicating sink must apply every effect
 * key exactly once, and the runs of a killed worker must progress again soon after its lease
 * expires.
 *
 * <p>The suite runs the short version ({@link CrashSettings#quick}); {@code bench/crash.sh} runs
 * the long one through the {@code crash-soak} profile, which sets {@code ballast.crash.*} system
 * properties and {@code ballast.crash.results}, the directory the reports are written to.
 */
abstract class CrashContract {
  /** The poison pipeline posts nothing; the workers only need a sink URL to start. */
  private static final String UNUSED_SINK = "http://127.0.0.1:9/unused";

  @TempDir Path dir;

  protected abstract CrashBackend backend(Path dir);

  @Test
  void everyRunCompletesAndEveryEffectIsAppliedOnceWhileWorkerProcessesAreKilled()
      throws Exception {
    CrashSettings settings =
        CrashSettings.fromSystemProperties(CrashSettings.quick(System.nanoTime()));
    Path results = resultsDir();
    Path logs = Files.createDirectories((results == null ? dir : results).resolve("logs"));
    CrashReport report;
    try (CrashBackend backend = backend(dir)) {
      report =
          new CrashScenario(settings, backend, logs, Files.createDirectories(dir.resolve("jvm")))
              .run();
    }
    System.out.println(report.toJson());
    if (results != null) {
      Files.writeString(results.resolve(report.backend() + ".json"), report.toJson());
      Files.writeString(results.resolve(report.backend() + ".md"), report.toMarkdown());
    }

    assertThat(report.problems()).as(report.summary()).isEmpty();
    assertThat(report.runs().succeeded()).isEqualTo(settings.runs());
    assertThat(report.runs().lost()).isZero();
    assertThat(report.kills().sent()).isGreaterThanOrEqualTo(settings.kills());
    assertThat(report.effects().distinctKeys()).isEqualTo(settings.runs());
    assertThat(report.effects().appliedOtherThanOnce()).isZero();
  }

  /**
   * A run whose stage kills every worker that runs it goes dead once its attempts are spent: the
   * claims of the workers it killed count as attempts (docs/queue.md), so a poison run cannot take
   * down worker after worker forever.
   */
  @Test
  void aRunThatKillsEveryWorkerRunningItGoesDeadAfterItsAttempts() throws Exception {
    CrashSettings settings = CrashSettings.quick(0);
    int maxAttempts = PoisonPipeline.RETRY.maxAttempts();
    List<Integer> deaths = new ArrayList<>();
    RunState run;
    try (CrashBackend backend = backend(dir);
        Store store = backend.open()) {
      RunQueue queue = store.runQueue();
      Function<String, List<String>> args =
          node -> CrashWorker.args(backend.storeUrl(), node, UNUSED_SINK, settings);
      // The class archive is made before the poison run exists: its training worker must live.
      WorkerJvm jvm =
          WorkerJvm.withSharedClasses(
              Files.createDirectories(dir.resolve("jvm")), args.apply("training"));
      String runId = submitPoisonRun(queue);
      try (WorkerFleet fleet =
          new WorkerFleet(
              Files.createDirectories(dir.resolve("logs")), jvm, backend.name() + "-p", args)) {
        // One worker at a time; without a bound on the claims this would go on forever.
        while (deaths.size() <= maxAttempts + 2 && !isDead(queue, runId)) {
          WorkerFleet.Worker worker = fleet.start();
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> !worker.process.isAlive() || isDead(queue, runId));
          if (!worker.process.isAlive()) {
            deaths.add(worker.process.exitValue());
          }
        }
      }
      run = queue.find(runId).orElseThrow();
    }
    assertThat(run.state())
        .as("the poison run after it killed %d workers", deaths.size())
        .isEqualTo(QueueState.DEAD);
    assertThat(deaths).as("exit statuses of the workers it killed").hasSize(maxAttempts);
    assertThat(deaths).containsOnly(PoisonPipeline.EXIT);
    assertThat(run.failedStage()).isEqualTo(PoisonPipeline.STAGE);
    assertThat(run.error()).contains("claimed " + (maxAttempts + 1) + " times");
  }

  private static String submitPoisonRun(RunQueue queue) {
    try (PipelineEngine submitter =
        PipelineEngine.start(
            EngineSettings.of(
                    "poison-submitter",
                    queue,
                    List.of(PoisonPipeline.build()),
                    WorkersConfig.DEFAULT)
                .withRunWorkers(false))) {
      return submitter
          .submit(
              new SubmitRequest(PoisonPipeline.NAME, "crash", CrashPipeline.input(1), null, null))
          .run()
          .runId();
    }
  }

  private static boolean isDead(RunQueue queue, String runId) {
    return queue.find(runId).orElseThrow().state() == QueueState.DEAD;
  }

  private static Path resultsDir() throws IOException {
    String dir = System.getProperty(CrashSettings.PREFIX + "results");
    return dir == null || dir.isBlank() ? null : Files.createDirectories(Path.of(dir));
  }
}
