package dev.ballast.retrieval.internal;

import java.util.List;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

/**
 * Keeps the newest {@code keep} snapshots (commits) of an index, each the index at one generation,
 * and deletes every commit newer than the one a writer was opened on: that one was found invalid.
 * The files of a deleted commit are removed once no kept commit and no open reader uses them.
 */
final class KeepNewestCommits extends IndexDeletionPolicy {
  private final int keep;
  private final long startedFrom;

  /**
   * @param startedFrom the segments generation of the commit the writer starts from; newer commits
   *     are deleted
   */
  KeepNewestCommits(int keep, long startedFrom) {
    this.keep = keep;
    this.startedFrom = startedFrom;
  }

  @Override
  public void onInit(List<? extends IndexCommit> commits) {
    for (IndexCommit c : commits) {
      if (c.getGeneration() > startedFrom) {
        c.delete();
      }
    }
  }

  @Override
  public void onCommit(List<? extends IndexCommit> commits) {
    for (int i = 0; i < commits.size() - keep; i++) {
      commits.get(i).delete();
    }
  }
}
