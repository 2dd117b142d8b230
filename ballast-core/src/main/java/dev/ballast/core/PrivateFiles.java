package dev.ballast.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only the node's own user may read: the data directory (mode 0700), the embedded database
 * and the journal spool files (0600). They hold journaled prompts and answers, memory and key
 * hashes, so another local user must not read them (docs/security.md). On a file system without
 * POSIX permissions these methods create what they are asked to and change nothing else.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** What Ballast keeps in a data directory: the database, the dev key, spools and indexes. */
  public static final List<String> OWN_ENTRIES = List.of("ballast.db", "dev.key", "spool", "index");

  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and missing parents) with mode 0700, or narrows an existing one to 0700: a
   * directory of Ballast's own, such as {@code server.data_dir} or a spool directory.
   *
   * @throws BallastException naming the directory when it cannot be created or changed
   */
  public static Path directory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          if (posix(dir.toAbsolutePath().getParent())) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
          } else {
            Files.createDirectory(dir);
          }
        } catch (FileAlreadyExistsException raced) {
          // Another process made it first; narrowed below like any existing directory.
        }
      }
      restrict(dir, DIRECTORY);
      return dir;
    } catch (IOException | UnsupportedOperationException e) {
      throw new BallastException(
          "cannot create the private directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the node's data directory with mode 0700, or narrows an existing one to 0700 when
   * everything in it is Ballast's own ({@link #OWN_ENTRIES}): a directory that holds anything else
   * (a data directory pointed at {@code /tmp} or a home directory) is someone else's to set, so it
   * is left as it is and a warning says so.
   *
   * @return whether the directory is now private
   * @throws BallastException naming the directory when it cannot be created or changed
   */
  public static boolean dataDirectory(Path dir) {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        List<String> foreign =
            entries
                .map(e -> e.getFileName().toString())
                .filter(name -> OWN_ENTRIES.stream().noneMatch(name::startsWith))
                .sorted()
                .limit(3)
                .toList();
        if (!foreign.isEmpty()) {
          LOG.warn(
              "the data directory {} also holds {}; its permissions are left as they are: make it"
                  + " readable by this user only (chmod 700) or give Ballast a directory of its"
                  + " own",
              dir,
              foreign);
          return false;
        }
      } catch (IOException e) {
        throw new BallastException("cannot read the data directory " + dir + ": " + e, e);
      }
    }
    directory(dir);
    return true;
  }

  /**
   * Creates {@code file} empty with mode 0600 when it does not exist, or narrows it to 0600: a file
   * that another library then opens (the SQLite database, whose {@code -wal} and {@code -shm} files
   * SQLite creates with the database's own mode).
   *
   * @throws BallastException naming the file when it cannot be created or changed
   */
  public static Path file(Path file) {
    try {
      try {
        if (posix(file.toAbsolutePath().getParent())) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
          Files.createFile(file);
        }
      } catch (FileAlreadyExistsException exists) {
        // Narrowed below: a database made by an earlier version may be 0644.
      }
      restrict(file, FILE);
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      throw new BallastException(
          "cannot create the private file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * What to pass when creating a file in {@code dir} that only this user may read: mode 0600, or
   * nothing on a file system without POSIX permissions.
   */
  public static FileAttribute<?>[] fileAttributes(Path dir) throws IOException {
    return posix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  /** Sets {@code permissions} on {@code path} if the file system has POSIX permissions. */
  public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view != null && !view.readAttributes().permissions().equals(permissions)) {
      view.setPermissions(permissions);
    }
  }

  private static boolean posix(Path dir) throws IOException {
    return dir != null
        && Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
  }
}
