package dev.ballast.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.core.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spool files hold journal entries, prompts and answers included: only the node's user may read
 * them (docs/security.md), whatever the process's umask.
 */
class JournalSpoolPermissionsTest {
  @TempDir Path dir;

  @Test
  void theSpoolDirectoryIs0700AndItsFiles0600() throws Exception {
    Path spoolDir = dir.resolve("spool");
    try (JournalSpool spool = JournalSpool.open(spoolDir)) {
      spool.append(
          List.of(
              new JournalEntry(
                  "run-1",
                  0,
                  Instant.parse("2030-01-01T00:00:00Z"),
                  new JournalEvent.RunFailed("server_error", 502, "boom", false, 1.0))));
      List<Path> files = spool.seal();
      assertThat(files).isNotEmpty();
      assertThat(Files.getPosixFilePermissions(spoolDir)).isEqualTo(PrivateFiles.DIRECTORY);
      for (Path file : files) {
        assertThat(Files.getPosixFilePermissions(file))
            .as(file.toString())
            .isEqualTo(PrivateFiles.FILE);
      }
      assertThat(Files.getPosixFilePermissions(spoolDir.resolve("spool.lock")))
          .isEqualTo(PrivateFiles.FILE);
    }
  }

  @Test
  void anExistingDirectoryIsNarrowed() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.directory(data);
    assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PrivateFiles.DIRECTORY);
    Path db = Files.createFile(data.resolve("ballast.db"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.file(db);
    assertThat(Files.getPosixFilePermissions(db)).isEqualTo(PrivateFiles.FILE);
    Path fresh = PrivateFiles.directory(dir.resolve("a/b/fresh"));
    assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(PrivateFiles.DIRECTORY);
  }
}
