package dev.ballast.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.core.pipeline.StageContext;

/**
 * Executes one attempt of a stage. The output is checkpointed before the next stage starts, so a
 * handler runs to completion at most once per successful stage, but an attempt may be abandoned
 * (timeout, crash, lost lease) and executed again: handlers of effectful stages record their
 * effects with {@link StageContext#effect} and apply them to receivers that deduplicate by key.
 *
 * <p>To fail, throw: {@link dev.ballast.core.pipeline.StageException} says whether the failure is
 * worth retrying; {@link dev.ballast.core.pipeline.DependencyUnavailableException} parks the run
 * until the dependency recovers; a {@link dev.ballast.core.ProviderException} is classified by the
 * failure table; anything else counts as a retryable failure. A handler should stop promptly when
 * its thread is interrupted (the attempt timed out or the lease was lost).
 */
@FunctionalInterface
public interface StageHandler {
  JsonNode execute(StageContext context) throws Exception;
}
