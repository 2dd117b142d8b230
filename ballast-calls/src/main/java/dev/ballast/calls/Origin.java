package dev.ballast.calls;

/**
 * Who makes a model call, which decides admission and what the journal keeps of an answer (see
 * {@code docs/limits.md}). Whatever the origin, an answer's cost is added to its tenant's spend.
 */
public enum Origin {
  /** A client of the HTTP API: every limit of its tenant applies; answers kept. */
  CLIENT(true, true, true),
  /**
   * A pipeline stage: the budget applies (each call reserves its cost and settles it), the per-
   * minute limits do not (the run was admitted when it was submitted); answers kept for replay.
   */
  PIPELINE(false, true, true),
  /**
   * A collection's ingestion or query embedding, made as the system tenant: not admitted; vectors
   * not journaled, since the store keeps the chunks' vectors and retrievals are journaled by their
   * results.
   */
  INDEX(false, false, false),
  /** A what-if replay's live call: every limit of its tenant applies; answers kept to compare. */
  REPLAY(true, true, true),
  /**
   * A quality canary, made by the node as the system tenant: never admitted, so an operator's
   * probes never spend a tenant's limits. Canaries make their calls with this origin.
   */
  CANARY(false, false, true);

  private final boolean rateLimited;
  private final boolean budgeted;
  private final boolean keepsEmbeddings;

  Origin(boolean rateLimited, boolean budgeted, boolean keepsEmbeddings) {
    this.rateLimited = rateLimited;
    this.budgeted = budgeted;
    this.keepsEmbeddings = keepsEmbeddings;
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
