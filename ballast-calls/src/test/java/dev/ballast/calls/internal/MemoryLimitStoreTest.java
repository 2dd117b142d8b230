package dev.ballast.calls.internal;

import dev.ballast.core.spi.LimitStore;
import dev.ballast.testkit.store.LimitStoreContract;

/** The in-process limits keep the same contract as the store's. */
class MemoryLimitStoreTest extends LimitStoreContract {
  @Override
  protected LimitStore newLimits() {
    return new MemoryLimitStore();
  }
}
