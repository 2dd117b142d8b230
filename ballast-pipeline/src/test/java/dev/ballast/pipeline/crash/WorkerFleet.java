package dev.ballast.pipeline.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The worker processes of a crash test: separate JVMs running {@link CrashWorker} (launched as
 * {@link WorkerJvm} says), started and killed one at a time. Each process's output goes to a log
 * file of its own ({@code <nodeId>.log}), kept for diagnosis.
 */
final class WorkerFleet implements AutoCloseable {
  private final Path logDir;
  private final WorkerJvm jvm;
  private final Function<String, List<String>> workerArgs;
  private final String namePrefix;
  private final AtomicInteger started = new AtomicInteger();
  private final List<Worker> alive = new CopyOnWriteArrayList<>();
  private final List<Worker> all = new CopyOnWriteArrayList<>();

  /** One worker process. */
  static final class Worker {
    final String nodeId;
    final Process process;
    final Path log;
    final Instant startedAt = Instant.now();
    final CompletableFuture<Instant> ready = new CompletableFuture<>();

    Worker(String nodeId, Process process, Path log) {
      this.nodeId = nodeId;
      this.process = process;
      this.log = log;
    }

    boolean isReady() {
      return ready.isDone() && !ready.isCompletedExceptionally() && process.isAlive();
    }
  }

  /** What a SIGKILL did: when it was sent, and how the process ended. */
  record Killed(String nodeId, Instant at, int exitCode, Duration uptime) {}

  /**
   * @param workerArgs the program arguments of the worker named by its node id
   */
  WorkerFleet(
      Path logDir, WorkerJvm jvm, String namePrefix, Function<String, List<String>> workerArgs) {
    this.logDir = logDir;
    this.jvm = jvm;
    this.namePrefix = namePrefix;
    this.workerArgs = workerArgs;
  }

  /** Starts a worker process; its {@code ready} completes once its engine runs. */
  Worker start() throws IOException {
    String nodeId = namePrefix + started.incrementAndGet();
    List<String> command = jvm.command(CrashWorker.class.getName(), workerArgs.apply(nodeId));
    // The log directory is its working directory: its journal spool goes there.
    Process process =
        new ProcessBuilder(command).directory(logDir.toFile()).redirectErrorStream(true).start();
    Worker worker = new Worker(nodeId, process, logDir.resolve(nodeId + ".log"));
    alive.add(worker);
    all.add(worker);
    Thread.ofVirtual().name("log-" + nodeId).start(() -> pump(worker));
    return worker;
  }

  /** Copies the process's output to its log and notices the ready line. */
  private static void pump(Worker worker) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(worker.process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(worker.log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.startsWith(CrashWorker.READY)) {
          worker.ready.complete(Instant.now());
        }
      }
    } catch (IOException e) {
      // The process died mid-line; what was read is in the log.
    } finally {
      worker.ready.completeExceptionally(
          new IllegalStateException("worker " + worker.nodeId + " ended before it was ready"));
    }
  }

  boolean sharesClasses() {
    return jvm.sharesClasses();
  }

  List<Worker> alive() {
    return List.copyOf(alive);
  }

  List<Worker> ready() {
    return alive.stream().filter(Worker::isReady).toList();
  }

  /** Every process started, dead or alive, in start order. */
  List<Worker> all() {
    return List.copyOf(all);
  }

  /** How long each worker that became ready took from its start. */
  List<Duration> startups() {
    return all.stream()
        .filter(w -> w.ready.isDone() && !w.ready.isCompletedExceptionally())
        .map(w -> Duration.between(w.startedAt, w.ready.join()))
        .toList();
  }

  /**
   * Sends SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for the process to end.
   */
  Killed kill(Worker worker) throws InterruptedException {
    Instant at = Instant.now();
    worker.process.destroyForcibly();
    if (!worker.process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker " + worker.nodeId + " survived SIGKILL");
    }
    alive.remove(worker);
    return new Killed(
        worker.nodeId, at, worker.process.exitValue(), Duration.between(worker.startedAt, at));
  }

  /** The last lines of every worker's log, for a failure message. */
  String tails(int lines) {
    StringBuilder out = new StringBuilder();
    for (Worker w : all) {
      out.append("--- ").append(w.nodeId).append(" (").append(w.log).append(")\n");
      try {
        List<String> text = Files.readAllLines(w.log);
        text.subList(Math.max(0, text.size() - lines), text.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("(no log: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  /** Ends the workers still alive with SIGTERM, then SIGKILL if they linger. */
  @Override
  public void close() {
    for (Worker w : alive) {
      w.process.destroy();
    }
    for (Worker w : alive) {
      try {
        if (!w.process.waitFor(10, TimeUnit.SECONDS)) {
          w.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.process.destroyForcibly();
      }
    }
    alive.clear();
  }
}
