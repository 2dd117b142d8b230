package dev.ballast.core.queue;

/**
 * The result of an enqueue.
 *
 * @param created false when the idempotency key (or run id) already named a run, which is returned
 *     unchanged instead
 */
public record QueuedRun(RunState run, boolean created) {}
