package dev.ballast.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.spi.Store;
import dev.ballast.testkit.Postgres;
import dev.ballast.testkit.store.StateStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory writers in separate processes on one store: no update lost, none applied twice, and a
 * replayed effect key applies nothing (docs/state.md, invariant 6). The processes race for real:
 * each is its own JVM with its own connections.
 */
class MemoryWritersAcrossProcessesTest {
  private static final int PROCESSES = 3;
  private static final int EACH = 20;

  @TempDir Path dir;

  @Test
  void writersInThreeProcessesOnSqliteLoseAndDuplicateNothing() throws Exception {
    String url = "sqlite:" + dir.resolve("memory.db");
    // Created (and migrated) once before the writers start, as a node's first start would.
    Stores.open(url, dir).close();
    runWriters(url);
    try (Store store = Stores.open(url, dir)) {
      StateStoreContract.assertEveryAppendAppliedOnce(store.memory(), "shared", PROCESSES, EACH);
    }
  }

  @Test
  void writersInThreeProcessesOnPostgresLoseAndDuplicateNothing() throws Exception {
    String jdbc = Postgres.requireAvailable();
    String schema = Postgres.newSchema("ballast_mw_");
    String url = jdbc + "&schema=" + schema;
    try {
      Stores.open(url, dir).close();
      runWriters(url);
      try (Store store = Stores.open(url, dir)) {
        StateStoreContract.assertEveryAppendAppliedOnce(store.memory(), "shared", PROCESSES, EACH);
      }
    } finally {
      Postgres.dropSchema(jdbc, schema);
    }
  }

  private void runWriters(String url) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int w = 0; w < PROCESSES; w++) {
      Path log = dir.resolve("writer-" + w + ".log");
      processes.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  MemoryWriterProcess.class.getName(),
                  url,
                  "shared",
                  String.valueOf(w),
                  String.valueOf(EACH))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start());
    }
    for (int w = 0; w < PROCESSES; w++) {
      Process p = processes.get(w);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("writer %d finished", w).isTrue();
      assertThat(p.exitValue())
          .as(
              "writer %d exit; its output: %s",
              w, Files.readString(dir.resolve("writer-" + w + ".log")))
          .isZero();
    }
  }
}
