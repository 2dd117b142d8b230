package dev.ballast.resilience;

/** The state of a deployment's circuit breaker, as journaled and exported to metrics. */
public enum BreakerState {
  /** Calls flow; failures are counted. */
  CLOSED,
  /** Calls are refused until the wait in open state has elapsed. */
  OPEN,
  /** A limited number of probe calls decide whether to close or open again. */
  HALF_OPEN,
  /** The breaker is switched off; calls always flow and nothing is counted. */
  DISABLED,
  /** Calls always flow; failures are counted but never open the breaker. */
  METRICS_ONLY,
  /** An operator opened the breaker; it stays open until told otherwise. */
  FORCED_OPEN;

  /** The lower-case wire name used in journals and metrics, e.g. {@code half_open}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
