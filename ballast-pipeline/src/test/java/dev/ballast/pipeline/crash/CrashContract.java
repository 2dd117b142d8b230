package dev.ballast.pipeline.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private static Path resultsDir() throws IOException {
    String dir = System.getProperty(CrashSettings.PREFIX + "results");
    return dir == null || dir.isBlank() ? null : Files.createDirectories(Path.of(dir));
  }
}
