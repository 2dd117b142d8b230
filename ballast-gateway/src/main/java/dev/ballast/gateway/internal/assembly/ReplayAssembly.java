package dev.ballast.gateway.internal.assembly;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.replay.Replayer;
import java.time.Clock;

/**
 * A replayer outside a running gateway ({@code ballast replay}): the configuration's providers for
 * what-if calls, a journal writer for what-if runs, no HTTP server and no workers. Deterministic
 * replays use none of the providers (see {@link ReplayGateway}). Close it to flush what-if runs.
 */
public final class ReplayAssembly implements AutoCloseable {
  private final StandaloneChain chain;
  private final Replayer replayer;

  private ReplayAssembly(StandaloneChain chain, Replayer replayer) {
    this.chain = chain;
    this.replayer = replayer;
  }

  /**
   * @param store stays open after {@link #close()}: the caller owns it
   */
  public static ReplayAssembly open(BallastConfig config, Store store, Clock clock) {
    StandaloneChain chain = new StandaloneChain(config, store, clock, "spool-replay");
    return new ReplayAssembly(
        chain,
        ReplayGateway.replayer(config, () -> config, store, chain.journal(), chain.chain(), clock));
  }

  public Replayer replayer() {
    return replayer;
  }

  @Override
  public void close() {
    chain.close();
  }
}
