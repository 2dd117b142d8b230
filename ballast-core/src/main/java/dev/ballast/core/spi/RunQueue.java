package dev.ballast.core.spi;

import dev.ballast.core.queue.FencedOffException;
import dev.ballast.core.queue.Lease;
import dev.ballast.core.queue.NewRun;
import dev.ballast.core.queue.QueueState;
import dev.ballast.core.queue.QueueStats;
import dev.ballast.core.queue.QueuedRun;
import dev.ballast.core.queue.RunFilter;
import dev.ballast.core.queue.RunState;
import dev.ballast.core.queue.StageFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable run queue of pipelines: hands runs to workers under leases with fencing tokens, and
 * keeps each run's checkpoints and effects ledger. States and their moves are the table in {@link
 * QueueState}. Every method takes the caller's {@code now}, so time is injected, never read.
 *
 * <p>Invariants every implementation keeps (one contract test each in {@code RunQueueContract}):
 *
 * <ol>
 *   <li><b>Order.</b> {@link #claim} first takes over a {@code running} run whose lease has lapsed
 *       ({@code leaseUntil < now}: its worker is presumed dead), by priority, then in the order the
 *       leases lapsed; else it takes the claimable run with the highest priority, then the earliest
 *       {@code availableAt}, then the earliest enqueued. Claimable: {@code queued} or {@code
 *       waiting} with {@code availableAt <= now}. Take-over first keeps take-over within a lease
 *       and one poll under any backlog.
 *   <li><b>Exclusion.</b> At any time a run is held by at most one lease: concurrent claimers, on
 *       any number of nodes, never receive the same run with the same fence.
 *   <li><b>Fencing.</b> Each claim issues a fence strictly greater than every earlier fence of the
 *       run. {@link #checkpoint}, {@link #complete}, {@link #fail}, {@link #park} and {@link
 *       #recordEffect} write only if the run is {@code running}, its fence equals the caller's and
 *       {@code leaseUntil >= now}; otherwise they throw {@link FencedOffException} and write
 *       nothing. The check is made by the database in the same statement as the write. A paused
 *       worker whose run was taken can therefore write nothing, whatever its clock says.
 *   <li><b>Checkpoints.</b> A checkpoint stores stage {@code i}'s output and advances the run to
 *       stage {@code i + 1} atomically. A later lease starts at the first uncheckpointed stage and
 *       carries the outputs of all earlier ones, so a completed stage is never executed again.
 *   <li><b>Idempotent submission.</b> For one (tenant, pipeline, idempotency key) there is at most
 *       one run, however many concurrent enqueues race; the losers receive the winner's run.
 *   <li><b>Effects ledger.</b> {@link #recordEffect} returns true exactly once per (run, stage,
 *       effect key), across all workers and fences.
 *   <li><b>Waiting.</b> A {@code waiting} run (retry backoff or parked on a dependency) is not
 *       claimed before its {@code availableAt}; parking does not count as an attempt.
 *   <li><b>Dead letters.</b> A {@code dead} run is never claimed until {@link #resume}d; it then
 *       resumes at the stage that failed, with its earlier outputs. {@code succeeded} and {@code
 *       failed} are final.
 *   <li><b>Limits.</b> A claim given {@code limits} never takes a run of a pipeline {@code P} while
 *       {@code limits.get(P)} or more runs of {@code P} are held by unexpired leases, counted over
 *       every node of the storage, not only the caller's. Concurrent claimers of limited pipelines
 *       are serialized for the count and the claim, so racing nodes cannot overshoot. A lease that
 *       has expired no longer counts: its worker is presumed dead, and the fence refuses its
 *       writes.
 *   <li><b>Quota.</b> An enqueue given a quota never leaves the tenant with more than that many
 *       runs {@code queued} or {@code waiting}: the count and the insert are serialized per tenant
 *       across every node of the storage.
 * </ol>
 *
 * <p>Implementations are thread-safe. Storage failures surface as the store's own {@code
 * BallastException} subclass.
 */
public interface RunQueue {

  /**
   * Adds a run in state {@code queued}, or returns the run that already holds its idempotency key
   * (or run id), unchanged even if its input differs: comparing inputs is the caller's business.
   */
  default QueuedRun enqueue(NewRun run, Instant now) {
    return enqueue(run, now, 0);
  }

  /**
   * Enqueues like {@link #enqueue(NewRun, Instant)} unless the run's tenant already has {@code
   * maxPending} runs {@code queued} or {@code waiting} (see invariant 10). A run its idempotency
   * key already names is returned whatever the count.
   *
   * @param maxPending the tenant's quota; 0 for none
   * @throws dev.ballast.core.queue.QueueQuotaExceededException when the quota is reached; nothing
   *     is written
   */
  QueuedRun enqueue(NewRun run, Instant now, int maxPending);

  /**
   * Claims the next claimable run (see invariant 1) for {@code workerId} until {@code now +
   * leaseFor}, with a new fence, and counts an attempt of its current stage.
   *
   * @param pipelines the pipelines this worker runs; empty for any
   * @return empty when no run is claimable
   */
  default Optional<Lease> claim(
      String workerId, Instant now, Duration leaseFor, Set<String> pipelines) {
    return claim(workerId, now, leaseFor, pipelines, Map.of());
  }

  /**
   * Claims like {@link #claim(String, Instant, Duration, Set)}, skipping the pipelines that already
   * have as many runs held as their limit allows (see invariant 9).
   *
   * @param pipelines the pipelines this worker runs; empty for any
   * @param limits per pipeline, the most runs that may be held at once across every node; pipelines
   *     not named here have no limit
   * @return empty when no run is claimable within the limits
   * @throws IllegalArgumentException when a limit is below 1
   */
  Optional<Lease> claim(
      String workerId,
      Instant now,
      Duration leaseFor,
      Set<String> pipelines,
      Map<String, Integer> limits);

  /**
   * Extends a held lease to {@code now + leaseFor}.
   *
   * @return false when the run is no longer held with {@code fence} or the lease already expired:
   *     the caller has lost the run and must stop
   */
  boolean heartbeat(String runId, long fence, Instant now, Duration leaseFor);

  /**
   * Records stage {@code stageIndex}'s output and advances the run to the next stage, resetting its
   * attempt count.
   *
   * @throws FencedOffException when the caller no longer holds the run; nothing is written
   * @throws IllegalStateException when the run is not at {@code stageIndex}; nothing is written
   */
  void checkpoint(
      String runId, long fence, int stageIndex, String stageName, byte[] output, Instant now);

  /**
   * Moves the run to {@code succeeded} with its final output and releases the lease.
   *
   * @throws FencedOffException when the caller no longer holds the run; nothing is written
   */
  void complete(String runId, long fence, byte[] output, Instant now);

  /**
   * Records a stage failure and moves the run to {@code waiting} (until the retry instant), {@code
   * dead} or {@code failed}, releasing the lease.
   *
   * @throws FencedOffException when the caller no longer holds the run; nothing is written
   */
  void fail(String runId, long fence, StageFailure failure, Instant now);

  /**
   * Releases the run to {@code waiting} until {@code until} because {@code dependency} is
   * unavailable (an open breaker). The claim that parks does not count as an attempt.
   *
   * @throws FencedOffException when the caller no longer holds the run; nothing is written
   */
  void park(String runId, long fence, String dependency, Instant until, Instant now);

  /**
   * Makes every run parked on {@code dependency} claimable at {@code now}, e.g. when its breaker
   * closes.
   *
   * @return how many runs were woken
   */
  int wake(String dependency, Instant now);

  /**
   * An operator's resume of a {@code dead} run: back to {@code queued} at the stage that failed,
   * with a fresh attempt count.
   *
   * @return false when the run does not exist or is not dead
   */
  boolean resume(String runId, Instant now);

  /**
   * Records that the holder of the run is about to apply the effect {@code effectKey} of {@code
   * stage}. The ledger makes the effect key stable and its recording unique; it cannot know whether
   * a worker that crashed after recording also applied the effect, so effects go to receivers that
   * deduplicate by the key (see {@code docs/queue.md}).
   *
   * @return true the first time for (run, stage, effect key); false if it was recorded before, by
   *     this or any earlier holder
   * @throws FencedOffException when the caller no longer holds the run; nothing is written
   */
  boolean recordEffect(String runId, long fence, String stage, String effectKey, Instant now);

  /**
   * Waits until work may have become claimable — a run enqueued, woken, resumed or released to
   * {@code waiting} by any node sharing the store — or until {@code maxWait} passes. It is a hint,
   * not a promise: a worker claims after it returns and waits again when nothing was claimable, so
   * a missed or spurious signal costs at most {@code maxWait} of latency, never a run.
   * Implementations that cannot be signalled wait the whole time.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  default void awaitWork(Duration maxWait) throws InterruptedException {
    Thread.sleep(maxWait);
  }

  /**
   * Wakes the waiters in {@link #awaitWork} on every node sharing the store, for work made
   * claimable in a way the queue's own writes do not signal: a held run of a pipeline with a
   * concurrency limit left its lease ({@link #complete}, {@link #fail}, {@link #park}), which frees
   * a place under the limit that a node waiting for it may now take. Call it after that write has
   * returned, so that a woken waiter sees it. Implementations that cannot signal do nothing.
   */
  default void signalWork() {}

  Optional<RunState> find(String runId);

  /** Runs matching the filter, most recently enqueued first. */
  List<RunState> list(RunFilter filter);

  QueueStats stats(Instant now);
}
