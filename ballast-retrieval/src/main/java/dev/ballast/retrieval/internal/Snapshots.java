package dev.ballast.retrieval.internal;

import dev.ballast.core.spi.DocumentStore;
import dev.ballast.core.state.GenerationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Finds the newest snapshot of an index on local disk that can be trusted (docs/state.md, invariant
 * 11) and opens a writer on it. A snapshot is used only when its manifest was built for the same
 * key, its generation is committed in the store, the store's content checksum of that generation is
 * the one the snapshot recorded, it holds exactly as many chunks as the store says it should, and
 * every file passes Lucene's checksum. Anything else is discarded, never repaired: the index is
 * rebuilt from the store.
 */
public final class Snapshots {
  /** Commits kept: the newest, and the one before it to fall back to. */
  static final int KEEP = 2;

  private Snapshots() {}

  /** How the index was opened: from which snapshot, or why none was used. */
  public record Outcome(boolean reused, long generation, List<String> discarded) {}

  /** A writer on the chosen snapshot (or on an empty index) and what that snapshot holds. */
  public record Opened(
      Directory directory, IndexWriter writer, SnapshotManifest manifest, Outcome outcome) {}

  /**
   * Opens the index in {@code dir} (created when missing).
   *
   * @throws org.apache.lucene.store.LockObtainFailedException when another writer holds the index
   */
  public static Opened open(
      Path dir, DocumentStore store, SnapshotManifest.Key key, Codec codec, IndexWriterConfig cfg)
      throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    // Another process (or another index in this one) using the directory must not see its files
    // judged and wiped: find out first, before reading anything. The lock is taken again by the
    // writer below.
    try (Lock held = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
      held.ensureValid();
    } catch (LockObtainFailedException e) {
      directory.close();
      throw e;
    }
    List<String> discarded = new ArrayList<>();
    try {
      for (IndexCommit commit : newestFirst(directory, discarded)) {
        String problem = problem(commit, store, key);
        if (problem == null) {
          SnapshotManifest manifest = SnapshotManifest.fromUserData(commit.getUserData());
          cfg.setIndexCommit(commit)
              .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
              .setIndexDeletionPolicy(new KeepNewestCommits(KEEP, commit.getGeneration()))
              .setCodec(codec);
          IndexWriter writer = new IndexWriter(directory, cfg);
          return new Opened(
              directory,
              writer,
              manifest,
              new Outcome(true, manifest.generation(), List.copyOf(discarded)));
        }
        discarded.add("snapshot " + commit.getSegmentsFileName() + ": " + problem);
      }
    } catch (IOException | RuntimeException e) {
      discarded.add("unreadable index: " + e);
    }
    directory.close();
    wipe(dir);
    directory = FSDirectory.open(dir);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setIndexDeletionPolicy(new KeepNewestCommits(KEEP, Long.MAX_VALUE))
        .setCodec(codec);
    IndexWriter writer = new IndexWriter(directory, cfg);
    return new Opened(
        directory,
        writer,
        SnapshotManifest.empty(key),
        new Outcome(false, 0, List.copyOf(discarded)));
  }

  private static List<IndexCommit> newestFirst(Directory directory, List<String> discarded)
      throws IOException {
    try {
      List<IndexCommit> commits = new ArrayList<>(DirectoryReader.listCommits(directory));
      commits.sort(Comparator.comparingLong(IndexCommit::getGeneration).reversed());
      return commits;
    } catch (IndexNotFoundException e) {
      return List.of();
    }
  }

  /** Why {@code commit} cannot be used, or null when it can. */
  static String problem(IndexCommit commit, DocumentStore store, SnapshotManifest.Key key) {
    SnapshotManifest m;
    try {
      m = SnapshotManifest.fromUserData(commit.getUserData());
    } catch (IOException | RuntimeException e) {
      return "no readable manifest (" + e.getMessage() + ")";
    }
    if (!m.key().equals(key)) {
      return "built for " + m.key() + ", not " + key;
    }
    long committed =
        store.collection(key.collection()).map(c -> c.generation()).orElse(Long.valueOf(-1));
    if (m.generation() > committed) {
      return "at generation " + m.generation() + ", but the store has committed up to " + committed;
    }
    long expected = 0;
    if (m.generation() > 0) {
      GenerationRecord g = record(store, key.collection(), m.generation());
      if (!g.chain().equals(m.chain())) {
        return "the content checksum of generation "
            + m.generation()
            + " differs from the store's (a snapshot of another database or of a restored backup)";
      }
      long retired = m.floor() == 0 ? 0 : record(store, key.collection(), m.floor()).totalRetired();
      expected = g.totalAdded() - retired;
    }
    try (DirectoryReader reader = DirectoryReader.open(commit)) {
      if (reader.numDocs() != expected) {
        return "holds " + reader.numDocs() + " chunks, the store says " + expected;
      }
      checkIntegrity(reader.leaves());
    } catch (IOException | RuntimeException e) {
      return "corrupt (" + e + ")";
    }
    return null;
  }

  /** Reads every file of every segment against its checksum, segments in parallel. */
  private static void checkIntegrity(List<LeafReaderContext> leaves) throws IOException {
    try {
      leaves.parallelStream()
          .forEach(
              leaf -> {
                try {
                  leaf.reader().checkIntegrity();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static GenerationRecord record(DocumentStore store, String collection, long g) {
    List<GenerationRecord> records = store.generations(collection, g - 1, g);
    if (records.isEmpty()) {
      throw new IllegalStateException("the store has no record of generation " + g);
    }
    return records.getFirst();
  }

  /** Deletes every file in {@code dir}, keeping the directory. */
  static void wipe(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Deletes the other snapshot directories of {@code collection} under {@code root}: those of
   * another model, dimension, encoding or layout, which this node will never open again.
   */
  public static List<Path> deleteOthers(Path root, String collection, String keep)
      throws IOException {
    List<Path> deleted = new ArrayList<>();
    String prefix = collection.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
    if (!Files.isDirectory(root)) {
      return deleted;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (Files.isDirectory(d)
            && name.startsWith(prefix)
            && name.length() == prefix.length() + 12
            && !name.equals(keep)) {
          wipe(d);
          Files.delete(d);
          deleted.add(d);
        }
      }
    }
    return deleted;
  }
}
