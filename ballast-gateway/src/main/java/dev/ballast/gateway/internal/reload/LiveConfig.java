package dev.ballast.gateway.internal.reload;

import dev.ballast.core.config.BallastConfig;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration this node runs now, and since when: the one holder every part that changes on a
 * reload reads per request, so that a request sees one version throughout. Thread-safe.
 */
public final class LiveConfig {
  /** One configuration version as this node took it over. */
  public record Loaded(BallastConfig config, Instant loadedAt) {
    public String version() {
      return config.version();
    }
  }

  private final AtomicReference<Loaded> current;

  public LiveConfig(BallastConfig config, Instant loadedAt) {
    this.current = new AtomicReference<>(new Loaded(config, loadedAt));
  }

  public Loaded current() {
    return current.get();
  }

  public BallastConfig config() {
    return current.get().config();
  }

  /** Makes {@code next} current; only the reloader calls this, after its parts took it over. */
  public void set(Loaded next) {
    current.set(next);
  }
}
