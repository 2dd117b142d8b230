package dev.ballast.bench;

import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import dev.ballast.core.spi.RunQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A run queue that records how long each checkpoint took, for the checkpoint-overhead figure. */
final class TimedRunQueue implements RunQueue {
  private final RunQueue delegate;
  private final LatencyRecorder checkpoints;

  TimedRunQueue(RunQueue delegate, LatencyRecorder checkpoints) {
    this.delegate = delegate;
    this.checkpoints = checkpoints;
  }

  @Override
  public void checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now) {
    long t0 = System.nanoTime();
    delegate.checkpoint(runId, fence, stageIndex, stageName, output, now);
    checkpoints.record(System.nanoTime() - t0);
  }

  @Override
  public QueuedRun enqueue(NewRun run, Instant now) {
    return delegate.enqueue(run, now);
  }

  @Override
  public Optional<Lease> claim(
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> pipelines,
      java.util.Map<String, Integer> limits) {
    return delegate.claim(workerId, now, leaseFor, pipelines, limits);
  }

  @Override
  public boolean heartbeat(String runId, long fence, Instant now, Duration leaseFor) {
    return delegate.heartbeat(runId, fence, now, leaseFor);
  }

  @Override
  public void complete(String runId, long fence, byte[] output, Instant now) {
    delegate.complete(runId, fence, output, now);
  }

  @Override
  public void fail(String runId, long fence, StageFailure failure, Instant now) {
    delegate.fail(runId, fence, failure, now);
  }

  @Override
  public void park(String runId, long fence, String dependency, Instant until, Instant now) {
    delegate.park(runId, fence, dependency, until, now);
  }

  @Override
  public int wake(String dependency, Instant now) {
    return delegate.wake(dependency, now);
  }

  @Override
  public boolean resume(String runId, Instant now) {
    return delegate.resume(runId, now);
  }

  @Override
  public boolean recordEffect(
      String runId, long fence, String stage, String effectKey, Instant now) {
    return delegate.recordEffect(runId, fence, stage, effectKey, now);
  }

  @Override
  public void awaitWork(Duration maxWait) throws InterruptedException {
    delegate.awaitWork(maxWait);
  }

  @Override
  public void signalWork() {
    delegate.signalWork();
  }

  @Override
  public Optional<RunState> find(String runId) {
    return delegate.find(runId);
  }

  @Override
  public List<RunState> list(RunFilter filter) {
    return delegate.list(filter);
  }

  @Override
  public QueueStats stats(Instant now) {
    return delegate.stats(now);
  }
}
