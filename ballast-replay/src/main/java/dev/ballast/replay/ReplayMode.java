package dev.ballast.replay;

/** How a run is replayed. */
public enum ReplayMode {
  /** Every external result comes from the journal; nothing leaves the process. */
  DETERMINISTIC,
  /** The overridden calls go live; everything else comes from the journal; a new run records it. */
  WHAT_IF;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
