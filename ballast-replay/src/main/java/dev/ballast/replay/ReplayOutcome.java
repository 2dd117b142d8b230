package dev.ballast.replay;

/** What a replay found. */
public enum ReplayOutcome {
  /** The same decisions were taken and the same outputs produced (compared by content hash). */
  IDENTICAL,
  /** Something differed; {@link ReplayReport#divergence()} says where first. */
  DIVERGED,
  /**
   * The run was re-executed as far as the journal allows, but the journal lacks the payloads to
   * compare outputs (capture was off for the tenant).
   */
  UNVERIFIABLE,
  /** The replay could not run (unknown pipeline, unsupported run kind). */
  ERROR;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
