package dev.ballast.core.pipeline;

/**
 * An effect of a run, named in the effects ledger.
 *
 * @param key the stable key of the effect, the same on every attempt and every worker: {@code
 *     runId/stage/name}. Receivers deduplicate by it (it is sent as the {@code Idempotency-Key} of
 *     an {@code http_action}).
 * @param firstRecord true when this attempt recorded the effect first; false when an earlier
 *     attempt (perhaps on a worker that crashed) recorded it, so it may already be applied
 */
public record Effect(String key, boolean firstRecord) {}
