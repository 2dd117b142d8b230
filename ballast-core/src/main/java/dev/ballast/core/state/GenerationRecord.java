package dev.ballast.core.state;

import java.time.Instant;
import java.util.Objects;

/**
 * What one committed generation of a collection changed, with a checksum of its content and of
 * every generation before it. A per-node index records the {@link #chain} of the generation it
 * applied; a snapshot whose chain differs from the store's was built from other content (another
 * database, a restored backup) and must not be trusted.
 *
 * @param added chunks that became live at this generation
 * @param retired chunks that stopped being live at this generation
 * @param totalAdded chunks added by this generation and every one before it
 * @param totalRetired chunks retired by this generation and every one before it
 * @param digest {@link GenerationDigest#digest()} of this generation's changes
 * @param chain {@link GenerationDigest#chain} of this generation over the previous one's chain
 * @param committedAt when the generation committed (for generations committed before the store kept
 *     this record: when the record was first computed, which is later, never earlier)
 */
public record GenerationRecord(
    String collection,
    long generation,
    int added,
    int retired,
    long totalAdded,
    long totalRetired,
    String digest,
    String chain,
    Instant committedAt) {
  public GenerationRecord {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(committedAt, "committedAt");
  }

  /** The chunks live at this generation. */
  public long liveChunks() {
    return totalAdded - totalRetired;
  }
}
