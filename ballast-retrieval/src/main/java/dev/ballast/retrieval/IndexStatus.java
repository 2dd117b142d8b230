package dev.ballast.retrieval;

/**
 * Where one collection's index on this node stands against the store.
 *
 * @param applied the last generation the index applied
 * @param committed the store's last generation when this node last looked
 * @param floor the oldest generation the index can still search
 * @param chunks chunks held (live and retired)
 * @param fromSnapshot whether the index started from a snapshot on this node's disk
 */
public record IndexStatus(
    String collection, long applied, long committed, long floor, int chunks, boolean fromSnapshot) {
  /** Generations committed in the store that this node's index has not applied yet. */
  public long lag() {
    return Math.max(0, committed - applied);
  }
}
