package dev.ballast.pipeline;

import dev.ballast.core.queue.RunState;

/**
 * The result of submitting a run.
 *
 * @param created false when the idempotency key already named a run, which is returned instead
 */
public record Submission(RunState run, boolean created) {}
