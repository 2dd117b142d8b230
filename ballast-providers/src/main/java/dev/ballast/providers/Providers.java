package dev.ballast.providers;

import dev.ballast.core.spi.Provider;
import dev.ballast.providers.internal.AdapterProvider;

/** Creates provider adapters from settings. */
public final class Providers {
  private Providers() {}

  /**
   * A provider speaking {@code settings.type()}'s wire format. The returned provider is
   * thread-safe, owns its HTTP client and should be closed when no longer used; every failure,
   * timeouts included, surfaces as a {@link dev.ballast.core.ProviderException}.
   */
  public static Provider create(ProviderSettings settings) {
    return AdapterProvider.create(settings);
  }
}
