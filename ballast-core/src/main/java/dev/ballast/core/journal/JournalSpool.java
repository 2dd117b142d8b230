package dev.ballast.core.journal;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ballast.core.BallastException;
import dev.ballast.core.Json;
import dev.ballast.core.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The overflow of a {@link JournalWriter}: append-only files of JSON lines in one directory.
 * Producers append to the active file; the writer seals it (so that producers move on to a fresh
 * file) and drains sealed files into the store, deleting each once all of it has been written.
 *
 * <p>Thread-safe. A lock file keeps a second writer, in this process or another, out of the
 * directory, because two drainers would each deliver the other's files.
 */
final class JournalSpool implements Closeable {
  static final String SUFFIX = ".jsonl";
  private static final ObjectWriter LINE_WRITER = Json.mapper().writerFor(SpoolLine.class);

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock dirLock;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong fileCounter = new AtomicLong();
  private FileChannel active;

  private JournalSpool(Path dir, FileChannel lockChannel, FileLock dirLock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.dirLock = dirLock;
  }

  static JournalSpool open(Path dir) {
    try {
      PrivateFiles.directory(dir);
      FileChannel channel =
          FileChannel.open(
              dir.resolve("spool.lock"),
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              PrivateFiles.fileAttributes(dir));
      FileLock dirLock = tryLock(channel);
      if (dirLock == null) {
        channel.close();
        throw new BallastException("journal spool " + dir + " is in use by another writer");
      }
      return new JournalSpool(dir, channel, dirLock);
    } catch (IOException e) {
      throw new BallastException("journal spool " + dir + " cannot be opened: " + e, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  Path dir() {
    return dir;
  }

  /** Appends the entries as lines of the active file, creating it when there is none. */
  void append(List<JournalEntry> entries) throws IOException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream(512 * entries.size());
    for (JournalEntry entry : entries) {
      LINE_WRITER.writeValue(lines, SpoolLine.of(entry));
      lines.write('\n');
    }
    ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
    lock.lock();
    try {
      if (active == null) {
        // 0600: a spool file holds journal entries, prompts and answers included.
        active =
            FileChannel.open(
                newFile(),
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(dir));
      }
      while (buffer.hasRemaining()) {
        active.write(buffer);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the active file so that every spool file on disk is complete; returns them, oldest
   * first.
   */
  List<Path> seal() throws IOException {
    lock.lock();
    try {
      if (active != null) {
        active.close();
        active = null;
      }
      return files();
    } finally {
      lock.unlock();
    }
  }

  /** The spool files on disk, oldest first: at open, those a previous process left behind. */
  List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  static long countLines(Path file) throws IOException {
    long lines = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /** Names sort in creation order, also across restarts. */
  private Path newFile() {
    return dir.resolve(
        String.format(
            "spool-%013d-%06d%s",
            System.currentTimeMillis(), fileCounter.incrementAndGet(), SUFFIX));
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (active != null) {
        active.close();
        active = null;
      }
      dirLock.release();
      lockChannel.close();
    } finally {
      lock.unlock();
    }
  }
}
