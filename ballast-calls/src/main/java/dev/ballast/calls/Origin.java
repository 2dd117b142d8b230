package dev.ballast.calls;

/**
 * Who makes a model call, which decides admission, what the journal keeps of an answer and the kind
 * its run is journaled as (see {@code docs/limits.md}). Whatever the origin, an answer's cost is
 * added to its tenant's spend.
 */
public enum Origin {
  /** A client of the HTTP API: every limit of its tenant applies; answers kept. */
  CLIENT(true, true, true, "gateway"),
  /**
   * A pipeline stage: the budget applies (each call reserves its cost and settles it), the per-
   * minute limits do not (the run was admitted when it was submitted); answers kept for replay.
   */
  PIPELINE(false, true, true, "gateway"),
  /**
   * A collection's ingestion or query embedding, made as the system tenant: not admitted; vectors
   * not journaled, since the store keeps the chunks' vectors and retrievals are journaled by their
   * results.
   */
  INDEX(false, false, false, "gateway"),
  /** A what-if replay's live call: every limit of its tenant applies; answers kept to compare. */
  REPLAY(true, true, true, "gateway"),
  /**
   * A canary's golden prompt, made by the node as the system tenant: never admitted, so an
   * operator's probes never spend a tenant's limits; journaled as a run of kind {@code canary}.
   */
  CANARY(false, false, true, "canary");

  private final boolean rateLimited;
  private final boolean budgeted;
  private final boolean keepsEmbeddings;
  private final String runKind;

  Origin(boolean rateLimited, boolean budgeted, boolean keepsEmbeddings, String runKind) {
    this.rateLimited = rateLimited;
    this.budgeted = budgeted;
    this.keepsEmbeddings = keepsEmbeddings;
    this.runKind = runKind;
  }

  /** The kind its runs are journaled as: {@code canary} for canaries, else {@code gateway}. */
  public String runKind() {
    return runKind;
  }

  /** Whether the tenant's requests and tokens per minute apply. */
  public boolean rateLimited() {
    return rateLimited;
  }

  /** Whether the call must reserve its cost within the tenant's budget before it is made. */
  public boolean budgeted() {
    return budgeted;
  }

  /** Whether an embeddings call's vectors go into the journal (under the capture policy). */
  public boolean keepsEmbeddings() {
    return keepsEmbeddings;
  }
}
