package dev.ballast.core.state;

import java.util.List;

/**
 * One page of chunks that changed in a generation range, ordered by id.
 *
 * @param nextAfterId the cursor for the next page, or null when this was the last
 */
public record ChunkPage(List<ChunkRecord> chunks, String nextAfterId) {
  public ChunkPage {
    chunks = List.copyOf(chunks);
  }
}
