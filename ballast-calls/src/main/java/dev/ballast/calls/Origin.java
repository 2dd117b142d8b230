package dev.ballast.calls;

/** Who makes a model call, which decides admission and what the journal keeps of an answer. */
public enum Origin {
  /** A client of the HTTP API: admitted against the tenant's limits; answers kept. */
  CLIENT(true, true),
  /**
   * A pipeline stage: not admitted (the run was admitted when it was submitted; its cost still
   * counts against the tenant's budget); answers kept for replay.
   */
  PIPELINE(false, true),
  /**
   * A collection's ingestion or query embedding: not admitted; vectors not journaled, since the
   * store keeps the chunks' vectors and retrievals are journaled by their results.
   */
  INDEX(false, false),
  /** A replayed or what-if call: not admitted; answers kept to be compared. */
  REPLAY(false, true),
  /**
   * A canary's golden prompt: not admitted (it belongs to no tenant's limits or budget); journaled
   * as a run of kind {@code canary}.
   */
  CANARY(false, true, "canary");

  private final boolean admitted;
  private final boolean keepsEmbeddings;
  private final String runKind;

  Origin(boolean admitted, boolean keepsEmbeddings) {
    this(admitted, keepsEmbeddings, "gateway");
  }

  Origin(boolean admitted, boolean keepsEmbeddings, String runKind) {
    this.admitted = admitted;
    this.keepsEmbeddings = keepsEmbeddings;
    this.runKind = runKind;
  }

  /** The kind its runs are journaled as: {@code canary} for canaries, else {@code gateway}. */
  public String runKind() {
    return runKind;
  }

  /** Whether the tenant's request and token limits apply. */
  public boolean admitted() {
    return admitted;
  }

  /** Whether an embeddings call's vectors go into the journal (under the capture policy). */
  public boolean keepsEmbeddings() {
    return keepsEmbeddings;
  }
}
