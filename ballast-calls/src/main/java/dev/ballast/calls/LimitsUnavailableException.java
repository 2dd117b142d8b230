package dev.ballast.calls;

import java.time.Duration;

/**
 * The tenant's limits could not be checked: the node's lease ran out and the store that shares
 * limits between nodes could not be reached. The call is refused rather than admitted unchecked.
 */
public final class LimitsUnavailableException extends CallRefusedException {
  private final String tenant;

  public LimitsUnavailableException(String tenant, Throwable cause) {
    super(
        "The limits of tenant '"
            + tenant
            + "' could not be checked: the store is unreachable ("
            + cause.getMessage()
            + ").",
        Duration.ofSeconds(1));
    initCause(cause);
    this.tenant = tenant;
  }

  public String tenant() {
    return tenant;
  }
}
