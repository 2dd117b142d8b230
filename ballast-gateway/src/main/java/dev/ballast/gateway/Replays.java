package dev.ballast.gateway;

import dev.ballast.core.config.BallastConfig;
import dev.ballast.core.spi.Store;
import dev.ballast.gateway.internal.assembly.ReplayAssembly;
import dev.ballast.replay.Replayer;
import java.time.Clock;

/**
 * Replays recorded runs without a running gateway (for {@code ballast replay} and the replay
 * benchmark): the configuration's pipelines, prompts and groups, its providers for what-if calls,
 * and a journal writer for the runs a what-if writes. No HTTP server, no workers.
 *
 * <p>Close it to flush what-if runs to the store; the store itself stays open, the caller owns it.
 * Not thread-safe to open or close concurrently; the {@link Replayer} is thread-safe.
 */
public final class Replays implements AutoCloseable {
  private final ReplayAssembly assembly;

  private Replays(ReplayAssembly assembly) {
    this.assembly = assembly;
  }

  /** Replays against {@code store} with the system clock. */
  public static Replays open(BallastConfig config, Store store) {
    return open(config, store, Clock.systemUTC());
  }

  public static Replays open(BallastConfig config, Store store, Clock clock) {
    return new Replays(ReplayAssembly.open(config, store, clock));
  }

  public Replayer replayer() {
    return assembly.replayer();
  }

  @Override
  public void close() {
    assembly.close();
  }
}
