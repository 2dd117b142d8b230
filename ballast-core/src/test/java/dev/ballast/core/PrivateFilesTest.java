package dev.ballast.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory is narrowed to 0700 when it is Ballast's own, and never when it holds anything
 * else: pointing {@code server.data_dir} at a shared directory must not lock others out of it.
 */
class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void aNewDataDirectoryIsMadePrivate() throws Exception {
    Path data = dir.resolve("a/b/data");
    assertThat(PrivateFiles.dataDirectory(data)).isTrue();
    assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PrivateFiles.DIRECTORY);
  }

  @Test
  void aDataDirectoryHoldingOnlyBallastsFilesIsNarrowed() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.createFile(data.resolve("ballast.db"));
    Files.createFile(data.resolve("ballast.db-wal"));
    Files.createDirectory(data.resolve("spool-replay"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(PrivateFiles.dataDirectory(data)).isTrue();
    assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PrivateFiles.DIRECTORY);
  }

  @Test
  void aDataDirectoryHoldingSomethingElseIsLeftAsItIs() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.createFile(shared.resolve("ballast.db"));
    Files.createFile(shared.resolve("someone-elses.txt"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(PrivateFiles.dataDirectory(shared)).isFalse();
    assertThat(Files.getPosixFilePermissions(shared))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
