package dev.ballast.pipeline.crash;

import dev.ballast.core.config.WorkersConfig;
import dev.ballast.core.journal.JournalWriter;
import dev.ballast.core.journal.JournalWriterConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.pipeline.EngineSettings;
import dev.ballast.pipeline.PipelineEngine;
import dev.ballast.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A worker node of the crash test, run as a process of its own: it opens the store, starts an
 * engine that executes {@link CrashPipeline} (and {@link PoisonPipeline}) and runs until it is
 * killed. It prints {@link #READY} once its workers claim, so the test knows the process is a
 * worker worth killing.
 *
 * <p>Arguments: {@code storeUrl nodeId sinkUrl concurrency leaseMillis heartbeatMillis pollMillis
 * maxPauseMillis}.
 */
public final class CrashWorker {
  static final String READY = "CRASH-WORKER READY";

  private CrashWorker() {}

  /** The arguments of a worker named {@code nodeId} that posts to {@code sinkUrl}. */
  static List<String> args(String storeUrl, String nodeId, String sinkUrl, CrashSettings s) {
    return List.of(
        storeUrl,
        nodeId,
        sinkUrl,
        Integer.toString(s.concurrency()),
        Long.toString(s.lease().toMillis()),
        Long.toString(s.heartbeat().toMillis()),
        Long.toString(s.poll().toMillis()),
        Long.toString(s.maxPause().toMillis()));
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "usage: CrashWorker storeUrl nodeId sinkUrl concurrency leaseMillis heartbeatMillis"
              + " pollMillis maxPauseMillis");
      System.exit(2);
    }
    String storeUrl = args[0];
    String nodeId = args[1];
    String sinkUrl = args[2];
    WorkersConfig workers =
        new WorkersConfig(
            Integer.parseInt(args[3]),
            Duration.ofMillis(Long.parseLong(args[4])),
            Duration.ofMillis(Long.parseLong(args[5])),
            Duration.ofMillis(Long.parseLong(args[6])));
    Duration maxPause = Duration.ofMillis(Long.parseLong(args[7]));
    Store store = Stores.open(storeUrl, null);
    // Journaled like a node of `ballast serve`; the spool goes to the working directory.
    JournalWriter journal =
        JournalWriter.start(
            store.journal(), JournalWriterConfig.defaults(Path.of("spool-" + nodeId)));
    PipelineEngine engine =
        PipelineEngine.start(
            EngineSettings.of(
                    nodeId,
                    store.runQueue(),
                    List.of(CrashPipeline.build(sinkUrl, maxPause), PoisonPipeline.build()),
                    workers)
                .withJournal(journal));
    System.out.println(READY + " " + nodeId);
    System.out.flush();
    if (Boolean.getBoolean(WorkerJvm.TRAIN_PROPERTY)) {
      // The training run of the class archive: it has loaded what a worker loads to start.
      engine.stop(Duration.ZERO);
      journal.close();
      store.close();
      System.exit(0);
    }
    // Nothing stops this process but a signal: the test kills it (SIGKILL) or, at the end, ends it
    // (SIGTERM), which stops the engine and closes the store's connections.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.stop(Duration.ofMillis(500));
                  journal.close();
                  store.close();
                }));
    Thread.currentThread().join();
  }
}
